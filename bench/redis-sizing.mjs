// How much Redis memory the library uses per remembered event and per queued job.
//   npm run build:lib && node bench/redis-sizing.mjs
// Starts its own redis-server, an app with FaceSign, the Redis store and (second phase) the queue
// without workers, sends N signed deliveries and reads `used_memory` before and after.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { FaceWebhooksModule } from 'nestjs-face-webhooks';
import { faceSignFixture, signFaceSignRequest } from 'nestjs-face-webhooks/testing';
import { RedisServer } from '../test/support/redis-server.js';

const N = Number(process.env.EVENTS ?? 5_000);
const redisServer = await RedisServer.start();
const redis = new Redis(redisServer.url);
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);

async function measure(name, extras) {
  class SizingModule {}
  Module({
    imports: [
      FaceWebhooksModule.forRoot({
        facesign: { secret: 'whsec_sizing' },
        redis: redisServer.url,
        redisKeyPrefix: `${name}:`,
        deduplicationStore: 'redis',
        ...extras,
      }),
    ],
  })(SizingModule);
  const app = await NestFactory.create(SizingModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}/webhooks/facesign`;
  const before = await usedMemory();
  for (let i = 0; i < N; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const signed = signFaceSignRequest({
          secret: 'whsec_sizing',
          body: faceSignFixture('session.status'),
        });
        const res = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
        if (res.status >= 300) throw new Error(`delivery answered ${res.status}`);
      }),
    );
  }
  const perEvent = ((await usedMemory()) - before) / N;
  await app.close();
  return perEvent;
}

const remembered = await measure('inline', {});
const queued = await measure('queued', { queue: { workers: false } });
console.log(
  `Redis ${(await redis.info('server')).match(/redis_version:(\S+)/)[1]}, ${N} FaceSign events of ~${
    JSON.stringify(faceSignFixture('session.status')).length
  } bytes:`,
);
console.log(`  remembered event (de-duplication record):      ${Math.round(remembered)} bytes`);
console.log(`  queued event (record + BullMQ job, waiting):   ${Math.round(queued)} bytes`);
console.log(`  so a queued job alone:                         ${Math.round(queued - remembered)} bytes`);
await redis.quit();
await redisServer.stop();
