import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  FaceWebhookIdempotencyStore,
  FaceWebhooksModule,
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  type IdempotencyClaim,
} from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

// The de-duplication store is pluggable: `deduplicationStore` takes a store instance as well as
// 'memory' or 'redis', and the module uses exactly that instance.

/** A store of the app's own: the memory store, counting what the library asks of it. */
class CountingStore extends MemoryIdempotencyStore {
  readonly claims: string[] = [];

  override claim(key: string, ttlMs: number, keepUntilMs?: number): Promise<IdempotencyClaim> {
    this.claims.push(key);
    return super.claim(key, ttlMs, keepUntilMs);
  }
}

const TOKEN = 'store-token';
let sequence = 0;
const enroll = () =>
  signFaceioRequest({
    token: TOKEN,
    body: faceioFixture('ENROLL', { facialId: `store-${Date.now()}-${sequence++}` }),
  });

describe.each(ADAPTERS)('a de-duplication store of the app (%s)', (adapter) => {
  let app: INestApplication | undefined;
  const post = (signed: { headers: Record<string, string>; body: string }) =>
    request(app!.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body);

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is the one the module uses: it sees every claim and answers the repeat as a duplicate', async () => {
    const store = new CountingStore(1_000);
    ({ app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN }, deduplicationStore: store })],
      providers: [RecordingHandlers],
    }));
    expect(app!.get(FaceWebhookIdempotencyStore)).toBe(store);
    const signed = enroll();
    expect((await post(signed)).body).toEqual({ received: true });
    expect((await post(signed)).body).toEqual({ received: true, duplicate: true });
    expect(store.claims).toHaveLength(2);
    expect(store.claims[0]).toMatch(/^faceio:[0-9a-f]{64}$/);
    expect(app!.get(RecordingHandlers).of('enroll')).toHaveLength(1);
  });

  it('can be a RedisIdempotencyStore the factory connected, with its own key prefix', async () => {
    const prefix = `custom-store-${adapter}-${Date.now()}:`;
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRootAsync({
          useFactory: async () => ({
            faceio: { token: TOKEN },
            deduplicationStore: await RedisIdempotencyStore.connect(process.env.REDIS_URL!, prefix),
          }),
        }),
      ],
      providers: [RecordingHandlers],
    }));
    const signed = enroll();
    expect((await post(signed)).status).toBe(200);
    expect((await post(signed)).body).toEqual({ received: true, duplicate: true });
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      expect(await redis.keys(`${prefix}dedup:*`)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });

  it('is refused at startup when it is neither a store nor a known name', async () => {
    await expect(
      createTestApp({
        adapter,
        imports: [
          FaceWebhooksModule.forRoot({
            faceio: { token: TOKEN },
            deduplicationStore: 'postgres' as never,
          }),
        ],
      }),
    ).rejects.toThrow(/deduplicationStore must be 'memory', 'redis' or a FaceWebhookIdempotencyStore/);
  });
});
