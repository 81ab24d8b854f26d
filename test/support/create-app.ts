import type { DynamicModule, INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CaptureLogger } from './capture-logger.js';

export interface TestAppOptions {
  imports: (DynamicModule | Promise<DynamicModule> | Type<unknown>)[];
  providers?: Type<unknown>[];
  controllers?: Type<unknown>[];
  globalPrefix?: string;
  rawBody?: boolean;
  globalPipe?: ValidationPipe;
}

/** A real Nest application (Express, real HTTP through supertest) built the way users build theirs. */
export async function createTestApp(
  options: TestAppOptions,
): Promise<{ app: INestApplication; logger: CaptureLogger }> {
  const moduleRef = await Test.createTestingModule({
    imports: options.imports,
    providers: options.providers ?? [],
    controllers: options.controllers ?? [],
  }).compile();
  const logger = new CaptureLogger();
  const app = moduleRef.createNestApplication({ logger, rawBody: options.rawBody });
  if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
  if (options.globalPipe) app.useGlobalPipes(options.globalPipe);
  await app.init();
  return { app, logger };
}
