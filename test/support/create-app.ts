import type { DynamicModule, INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { CaptureLogger } from './capture-logger.js';

/** Every end-to-end suite runs once per HTTP adapter: no behaviour may differ between them. */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** Makes a Fastify app ready for supertest (Express needs nothing). */
export async function ready(app: INestApplication): Promise<void> {
  const instance = app.getHttpAdapter().getInstance() as { ready?: () => Promise<unknown> };
  if (app.getHttpAdapter().getType() === 'fastify') await instance.ready!();
}

export interface TestAppOptions {
  adapter: AdapterName;
  imports: (DynamicModule | Promise<DynamicModule> | Type<unknown>)[];
  providers?: Type<unknown>[];
  controllers?: Type<unknown>[];
  globalPrefix?: string;
  rawBody?: boolean;
  globalPipe?: ValidationPipe;
  /** Anything else to set on the app before `init()` (prefix options, versioning). */
  configure?: (app: INestApplication) => void;
}

/** A real Nest application (real HTTP through supertest) built the way users build theirs. */
export async function createTestApp(
  options: TestAppOptions,
): Promise<{ app: INestApplication; logger: CaptureLogger }> {
  const moduleRef = await Test.createTestingModule({
    imports: options.imports,
    providers: options.providers ?? [],
    controllers: options.controllers ?? [],
  }).compile();
  const logger = new CaptureLogger();
  const app: INestApplication =
    options.adapter === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
          logger,
          rawBody: options.rawBody,
        })
      : moduleRef.createNestApplication({ logger, rawBody: options.rawBody });
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
  if (options.globalPipe) app.useGlobalPipes(options.globalPipe);
  options.configure?.(app);
  await app.init();
  await ready(app);
  return { app, logger };
}

/**
 * Listens on a free loopback port and returns the app's base URL (`http://127.0.0.1:<port>`), for
 * tests that reach it through a real socket (the CLI, curl, signed URLs).
 */
export async function listenOnLoopback(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}
