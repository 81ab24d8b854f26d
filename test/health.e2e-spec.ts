import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { FaceWebhooksModule } from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { HealthModule } from '../sample-app/src/health/health.module.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';
import { RedisServer } from './support/redis-server.js';

// The sample app's GET /health (terminus + FaceWebhooksHealthIndicator), over a Redis of its own
// that the test stops and starts again.
const TOKEN = 'health-token';

describe.each(ADAPTERS)('GET /health (%s)', (adapter) => {
  let redis: RedisServer;
  let app: INestApplication;
  let handlers: RecordingHandlers;

  beforeAll(async () => {
    redis = await RedisServer.start();
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: TOKEN },
          redis: redis.url,
          redisKeyPrefix: `health-${randomUUID()}:`,
          deduplicationStore: 'redis',
          worker: { attempts: 1 },
          queue: true,
        }),
        HealthModule,
      ],
      providers: [RecordingHandlers],
    }));
    handlers = app.get(RecordingHandlers);
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
  });

  const health = () => request(app.getHttpServer()).get('/health');

  it('is up while the store and the queue answer and the failed set is empty', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.info['face-webhooks']).toEqual({
      status: 'up',
      store: 'up',
      queue: 'up',
      failedEvents: 0,
    });
  });

  it('is down, saying why, with Redis stopped; up again once it is back', async () => {
    await redis.stop();
    try {
      const down = await health();
      expect(down.status).toBe(503);
      const details = down.body.error['face-webhooks'];
      expect(details).toMatchObject({ status: 'down', store: 'down', queue: 'down' });
      expect(details.problems).toEqual([
        expect.stringContaining('de-duplication store unreachable'),
        expect.stringContaining('queue unreachable'),
      ]);
    } finally {
      await redis.start();
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await health()).status;
    }
    expect(status).toBe(200);
  });

  it('is down when the failed set holds more events than the threshold (0 in the sample app)', async () => {
    handlers.failures.set('auth', 1);
    const signed = signFaceioRequest({
      token: TOKEN,
      body: faceioFixture('AUTH', { facialId: `h-${adapter}` }),
    });
    expect(
      (await request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body))
        .status,
    ).toBe(202);
    let res = await health();
    for (let i = 0; i < 50 && res.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await health();
    }
    expect(res.status).toBe(503);
    expect(res.body.error['face-webhooks']).toMatchObject({
      status: 'down',
      failedEvents: 1,
      problems: ['1 events in the failed set (more than 0)'],
    });
  });
});
