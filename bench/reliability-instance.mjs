// One app instance for bench/reliability.mjs: FaceSign on a port, Redis de-duplication, inline or
// queued (with a worker in the process). Its two handlers count their runs in Redis; one of them,
// for FAIL_PERCENT of the events, throws the first time (once across all instances).
// REDIS is the library's `redis` option as JSON: a URL, or { "cluster": [nodes] }. COUNT_REDIS,
// when given, is where the handlers count their runs (a Redis the run never faults); ADAPTER
// 'fastify' serves on Fastify instead of Express; HANDLER_MS makes each handler take that long
// (after its effect, as a handler doing more work would: the window in which a fault catches a
// handler that finished); DEFAULTS=1 keeps the library's defaults for the worker and the store.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cluster, Redis } from 'ioredis';
import { FaceWebhooksModule, OnFaceEvent } from 'nestjs-face-webhooks';

const {
  PORT,
  PREFIX,
  MODE,
  FAIL_PERCENT = '0',
  ADAPTER = 'express',
  HANDLER_MS = '0',
  DEFAULTS,
} = process.env;
const connection = JSON.parse(process.env.REDIS);
const counting = process.env.COUNT_REDIS ? JSON.parse(process.env.COUNT_REDIS) : connection;
const redis =
  typeof counting === 'string'
    ? new Redis(counting, { maxRetriesPerRequest: null })
    : new Cluster(counting.cluster, { redisOptions: { maxRetriesPerRequest: null } });
redis.on('error', () => undefined);

// Each handler's effect: a counter and a log line (instance pid, time) written in one MULTI, so
// the log says exactly which runs took effect, where and when. The event id is the keys' hash tag,
// so on a cluster both are in one slot.
const record = (what, event) =>
  redis
    .multi()
    .incr(`${PREFIX}${what}:{${event.id}}`)
    .rpush(`${PREFIX}log:${what}:{${event.id}}`, `${process.pid} ${Date.now()}`)
    .exec();

const work = () =>
  HANDLER_MS === '0' ? undefined : new Promise((resolve) => setTimeout(resolve, Number(HANDLER_MS)));

// Two handlers per event: `handle` fails once for FAIL_PERCENT of the events, `audit` never fails
// (so a retry of a partly failed event must run only `handle`).
class CountingHandler {
  async handle(event) {
    const bucket = createHash('sha256').update(event.id).digest().readUInt16BE(0) % 100;
    if (bucket < Number(FAIL_PERCENT) && (await redis.set(`${PREFIX}failed-once:{${event.id}}`, '1', 'NX'))) {
      throw new Error(`first attempt of ${event.id} fails on purpose`);
    }
    await record('handled', event);
    await work();
  }

  async audit(event) {
    await record('audited', event);
    await work();
  }
}
Injectable()(CountingHandler);
for (const method of ['handle', 'audit']) {
  OnFaceEvent('facesign.**')(
    CountingHandler.prototype,
    method,
    Object.getOwnPropertyDescriptor(CountingHandler.prototype, method),
  );
}

class InstanceModule {}
Module({
  imports: [
    FaceWebhooksModule.forRoot({
      queue: MODE === 'queued',
      facesign: { secret: 'whsec_reliability' },
      redis: connection,
      redisKeyPrefix: PREFIX,
      deduplicationStore: 'redis',
      ...(DEFAULTS
        ? { worker: { concurrency: 20 } }
        : {
            worker: {
              attempts: 10,
              backoffDelayMs: 100,
              concurrency: 20,
              lockDurationMs: 5_000,
              stalledIntervalMs: 1_000,
            },
          }),
    }),
  ],
  providers: [CountingHandler],
})(InstanceModule);

const logger = process.env.VERBOSE ? ['error', 'warn'] : false;
const app =
  ADAPTER === 'fastify'
    ? await NestFactory.create(
        InstanceModule,
        new (await import('@nestjs/platform-fastify')).FastifyAdapter(),
        {
          logger,
        },
      )
    : await NestFactory.create(InstanceModule, { logger });
app.enableShutdownHooks();
await app.listen(Number(PORT), '127.0.0.1');
console.log('ready');
