import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { locateEnvFile } from './config/env-file.js';

async function bootstrap(): Promise<void> {
  const logger = new Logger('SampleApp');
  const envFile = locateEnvFile();
  if (envFile.isExample) {
    const bar = '!'.repeat(78);
    logger.warn(
      `\n${bar}\n  No sample-app/.env: using DEV SECRETS from ${envFile.path}.\n` +
        `  They are public. Copy .env.example to .env and set real values before exposing this app.\n${bar}`,
    );
  }
  const app = await NestFactory.create(AppModule);
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
  const port = Number(app.get(ConfigService).get('PORT') ?? 3000);
  await app.listen(port, '0.0.0.0');
  logger.log(`Listening on http://localhost:${port} (OpenAPI: http://localhost:${port}/docs)`);
}

void bootstrap();
