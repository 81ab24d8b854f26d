import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { publicDevSecrets } from './config/env-file.js';
import { listenHost } from './console/operator-access.guard.js';

async function bootstrap(): Promise<void> {
  const logger = new Logger('SampleApp');
  const app = await NestFactory.create(AppModule);
  // Only once the config is loaded: a secret set in the environment is not a dev secret.
  const devSecrets = publicDevSecrets();
  if (devSecrets.length > 0) {
    const bar = '!'.repeat(78);
    logger.warn(
      `\n${bar}\n  Running on PUBLIC DEV SECRETS from .env.example: ${devSecrets.join(', ')}.\n` +
        `  Set them in the environment or in sample-app/.env before exposing this app.\n${bar}`,
    );
  }
  app.enableShutdownHooks();
  // The webhook routes document themselves when @nestjs/swagger is installed.
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('nestjs-face-webhooks sample app').build(),
  );
  SwaggerModule.setup('docs', app, document);
  // A trickled body is cut off by the module (bodyTimeoutMs); headers come before any route is
  // known, so Node's server bounds them (its defaults are 60 s and 300 s, checked every 30 s).
  const server = app.getHttpServer() as Server;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const config = app.get(ConfigService);
  const port = Number(config.get('PORT') ?? 3000);
  // Loopback only unless HOST says otherwise; then the listings, /metrics and /health take the
  // console's credentials (OperatorAccessGuard).
  const host = listenHost(config);
  await app.listen(port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.log(
    `Listening on ${url} (OpenAPI ${url}/docs, Prometheus ${url}/metrics, ${url}/health, console ${url}/console)`,
  );
}

void bootstrap();
