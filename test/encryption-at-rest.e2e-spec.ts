import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, type INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  type AtRestEncryptionOptions,
  type FaceEventOf,
} from 'nestjs-face-webhooks';
import { FACE_EVENTS_QUEUE, FailedFaceEvents } from 'nestjs-face-webhooks/queue';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { ADAPTERS, createTestApp, type AdapterName } from './support/create-app.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'at-rest-token';
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

@Injectable()
class Enrolments {
  readonly facialIds: string[] = [];
  failNext = false;
  @OnFaceEvent('faceio.ENROLL')
  onEnroll(event: FaceEventOf<'faceio.ENROLL'>): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the database is down');
    }
    this.facialIds.push(event.data.facialId);
  }
}

/** Every value stored under `prefix`, whatever its Redis type, as one string per key. */
async function storedValues(redis: Redis, prefix: string): Promise<string[]> {
  const keys = await redis.keys(`${prefix}*`);
  return Promise.all(
    keys.map(async (key) => {
      const type = await redis.type(key);
      if (type === 'string') return (await redis.get(key)) ?? '';
      if (type === 'hash') return JSON.stringify(await redis.hgetall(key));
      if (type === 'list') return JSON.stringify(await redis.lrange(key, 0, -1));
      if (type === 'set') return JSON.stringify(await redis.smembers(key));
      if (type === 'zset') return JSON.stringify(await redis.zrange(key, '0', '-1'));
      if (type === 'stream') return JSON.stringify(await redis.xrange(key, '-', '+'));
      return '';
    }),
  );
}

describe.each(ADAPTERS)('bodies encrypted at rest (%s)', (adapter: AdapterName) => {
  const prefix = `at-rest-${randomUUID()}:`;
  const apps: INestApplication[] = [];
  let redis: Redis;
  const start = async (encryptAtRest: AtRestEncryptionOptions, workers: boolean) => {
    const { app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: TOKEN },
          redis: process.env.REDIS_URL!,
          redisKeyPrefix: prefix,
          deduplicationStore: 'redis',
          worker: { attempts: 1 },
          encryptAtRest,
          queue: { workers },
        }),
      ],
      providers: [Enrolments],
    });
    apps.push(app);
    return app;
  };
  const deliver = async (app: INestApplication, facialId: string) => {
    const signed = signFaceioRequest({ token: TOKEN, body: faceioFixture('ENROLL', { facialId }) });
    const res = await request(app.getHttpServer())
      .post('/webhooks/faceio')
      .set(signed.headers)
      .send(signed.body);
    expect(res.status).toBe(202);
    return signed.body;
  };

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await redis.quit();
  });

  it('stores queued bodies sealed, opens them with every key it has, and names a missing key', async () => {
    // A web instance seals with k1; no worker runs here.
    const web = await start({ keys: { k1 }, currentKeyId: 'k1' }, false);
    const facialId = `face-${randomUUID()}`;
    const body = await deliver(web, facialId);
    const queue = web.get<Queue>(getQueueToken(FACE_EVENTS_QUEUE));
    const [job] = await queue.getJobs(['waiting', 'wait', 'prioritized']);
    expect(job!.data.raw).toMatch(/^fwe1\.k1\./);
    // Nothing in Redis holds the body or any part of it that identifies the person.
    const stored = (await storedValues(redis, prefix)).join('\n');
    expect(stored).not.toContain(facialId);
    expect(stored).not.toContain(Buffer.from(body).toString('base64').slice(0, 40));

    // A worker that has only the next key cannot open it: the job fails, naming the key.
    const wrong = await start({ keys: { k2 }, currentKeyId: 'k2' }, true);
    const failed = wrong.get(FailedFaceEvents);
    await waitFor('the job to fail', async () => (await failed.list()).length === 1);
    const [failure] = await failed.list();
    expect(failure!.failedReason).toContain('key "k1", which encryptAtRest.keys does not have');
    expect(wrong.get(Enrolments).facialIds).toEqual([]);
    await wrong.close();
    apps.splice(apps.indexOf(wrong), 1);

    // After the rotation (k2 current, k1 kept), a replay opens it and the handler gets the body.
    const rotated = await start({ keys: { k1, k2 }, currentKeyId: 'k2' }, true);
    expect(await rotated.get(FailedFaceEvents).replay(failure!.jobId)).toBe(true);
    await waitFor('the replayed event to be handled', () =>
      rotated.get(Enrolments).facialIds.includes(facialId),
    );
    // New deliveries through the rotated instance are sealed with k2, and handled.
    const next = `face-${randomUUID()}`;
    await deliver(rotated, next);
    await waitFor('the next event to be handled', () => rotated.get(Enrolments).facialIds.includes(next));
    expect((await storedValues(redis, prefix)).join('\n')).not.toContain(next);
  }, 30_000);

  it('refuses to start with a key that is not 32 bytes, naming the setting', async () => {
    await expect(start({ keys: { k1: 'c2hvcnQ=' }, currentKeyId: 'k1' }, false)).rejects.toThrow(
      /encryptAtRest\.keys\.k1 must be 32 bytes/,
    );
    await expect(start({ keys: { k1 }, currentKeyId: 'k9' }, false)).rejects.toThrow(
      /encryptAtRest\.currentKeyId must be one of the ids/,
    );
  });
});

describe.each(ADAPTERS)(
  'bodies the console keeps for Replay, encrypted at rest (%s)',
  (adapter: AdapterName) => {
    it('keeps a failed inline delivery sealed in Redis, and replays it from the console', async () => {
      const prefix = `kept-${randomUUID()}:`;
      const redis = new Redis(process.env.REDIS_URL!);
      const { app } = await createTestApp({
        adapter,
        imports: [
          FaceWebhooksModule.forRoot({
            faceio: { token: TOKEN },
            redis: process.env.REDIS_URL!,
            redisKeyPrefix: prefix,
            encryptAtRest: { keys: { k1 }, currentKeyId: 'k1' },
            console: { path: 'ops', canAccess: () => true },
          }),
        ],
        providers: [Enrolments],
      });
      try {
        const enrolments = app.get(Enrolments);
        enrolments.failNext = true;
        const facialId = `kept-face-${randomUUID()}`;
        const signed = signFaceioRequest({ token: TOKEN, body: faceioFixture('ENROLL', { facialId }) });
        const res = await request(app.getHttpServer())
          .post('/webhooks/faceio')
          .set(signed.headers)
          .send(signed.body);
        expect(res.status).toBe(500);
        let seq: string | undefined;
        await waitFor('the failure to be logged', async () => {
          const failed = await request(app.getHttpServer()).get('/ops/api/failed');
          seq = (failed.body.inline as { seq: string }[])[0]?.seq;
          return seq !== undefined;
        });
        const stored = (await storedValues(redis, prefix)).join('\n');
        expect(stored).toContain('fwe1.k1.');
        expect(stored).not.toContain(facialId);
        const replay = await request(app.getHttpServer())
          .post(`/ops/api/replay/${seq}`)
          .set({ 'x-face-webhooks-console': '1' });
        expect(replay.body).toEqual({ received: true });
        expect(enrolments.facialIds).toEqual([facialId]);
      } finally {
        await app.close();
        await redis.quit();
      }
    });
  },
);
