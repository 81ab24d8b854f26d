import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../../sample-app/src/app.module.js';
import { CaptureLogger } from './capture-logger.js';
import { ready, type AdapterName } from './create-app.js';

/** The sample app as `main.ts` builds it (minus listening), on the given adapter, ready for supertest. */
export async function startSampleApp(
  adapter: AdapterName,
  logger: CaptureLogger = new CaptureLogger(),
): Promise<INestApplication> {
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), { logger })
      : await NestFactory.create(AppModule, { logger });
  await app.init();
  await ready(app);
  return app;
}
