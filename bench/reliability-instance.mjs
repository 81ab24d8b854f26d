// One app instance for bench/reliability.mjs: FaceSign on a port, Redis de-duplication, inline or
// queued (with a worker in the process). Its two handlers count their runs in Redis; one of them,
// for FAIL_PERCENT of the events, throws the first time (once across all instances).
// REDIS is the library's `redis` option as JSON: a URL, or { "cluster": [nodes] }.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cluster, Redis } from 'ioredis';
import { FaceWebhooksModule, OnFaceEvent } from 'nestjs-face-webhooks';

const { PORT, PREFIX, MODE, FAIL_PERCENT = '0' } = process.env;
const connection = JSON.parse(process.env.REDIS);
const redis =
  typeof connection === 'string'
    ? new Redis(connection, { maxRetriesPerRequest: null })
    : new Cluster(connection.cluster, { redisOptions: { maxRetriesPerRequest: null } });
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

// Two handlers per event: `handle` fails once for FAIL_PERCENT of the events, `audit` never fails
// (so a retry of a partly failed event must run only `handle`).
class CountingHandler {
  async handle(event) {
    const bucket = createHash('sha256').update(event.id).digest().readUInt16BE(0) % 100;
    if (bucket < Number(FAIL_PERCENT) && (await redis.set(`${PREFIX}failed-once:{${event.id}}`, '1', 'NX'))) {
      throw new Error(`first attempt of ${event.id} fails on purpose`);
    }
    await record('handled', event);
  }

  async audit(event) {
    await record('audited', event);
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
      deduplicationInFlightTtlMs: 30_000,
      worker: {
        attempts: 10,
        backoffDelayMs: 100,
        concurrency: 20,
        lockDurationMs: 5_000,
        stalledIntervalMs: 1_000,
      },
    }),
  ],
  providers: [CountingHandler],
})(InstanceModule);

const app = await NestFactory.create(InstanceModule, {
  logger: process.env.VERBOSE ? ['error', 'warn'] : false,
});
app.enableShutdownHooks();
await app.listen(Number(PORT), '127.0.0.1');
console.log('ready');
