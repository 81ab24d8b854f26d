import type { AddressInfo } from 'node:net';
import { Injectable, type INestApplication } from '@nestjs/common';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  type AnyFaceEvent,
  type FaceWebhooksModuleOptions,
} from 'nestjs-face-webhooks';
import {
  faceioFixture,
  faceSignFixture,
  idaasFixture,
  signFaceioRequest,
  signFaceSignRequest,
  signIdaasLegacyRequest,
  signIdaasRequest,
} from 'nestjs-face-webhooks/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { ADAPTERS, createTestApp, type AdapterName } from './support/create-app.js';

// The library's replay invariant: a delivery old enough to have been forgotten by the
// de-duplication store is refused. Captured deliveries are sent again exactly as captured.
const FACESIGN_SECRET = 'whsec_replay';
const IDAAS_SECRET = 'idaas-replay';
const FACEIO_TOKEN = 'faceio-replay';

@Injectable()
class CountingHandlers {
  readonly ids: string[] = [];

  @OnFaceEvent('**')
  count(event: AnyFaceEvent): void {
    this.ids.push(event.id);
  }

  runs(id: string): number {
    return this.ids.filter((seen) => seen === id).length;
  }
}

async function listening(adapter: AdapterName, options: FaceWebhooksModuleOptions) {
  const { app, logger } = await createTestApp({
    adapter,
    imports: [FaceWebhooksModule.forRoot(options)],
    providers: [CountingHandlers],
  });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return { app, logger, base, handlers: app.get(CountingHandlers) };
}

const send = (
  app: INestApplication,
  path: string,
  signed: { headers: Record<string, string>; body: string },
) => request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);

describe.each(ADAPTERS)('replays (%s)', (adapter) => {
  describe('IDaaS without created: eventTime bounds the delivery', () => {
    let app: INestApplication;
    let base: string;
    let handlers: CountingHandlers;
    beforeAll(async () => {
      ({ app, base, handlers } = await listening(adapter, {
        idaas: { secret: IDAAS_SECRET, acceptLegacySignature: true },
      }));
    });
    afterAll(() => app.close());

    const unsignedTime = (eventTime: string) =>
      signIdaasRequest({
        secret: IDAAS_SECRET,
        url: `${base}/webhooks/idaas`,
        created: null,
        body: { ...idaasFixture('user.created'), eventTime },
      });
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

    it('refuses a captured delivery whose eventTime is two years old (401), and runs no handler', async () => {
      const res = await send(app, '/webhooks/idaas', unsignedTime(ago(2 * 365 * 24 * 3600 * 1000)));
      expect(res.status).toBe(401);
      expect(handlers.ids).toEqual([]);
    });

    it('refuses one just past the default maximum age (1 h) and one ahead of now by more than the tolerance', async () => {
      expect((await send(app, '/webhooks/idaas', unsignedTime(ago(3600 * 1000 + 5_000)))).status).toBe(401);
      expect((await send(app, '/webhooks/idaas', unsignedTime(ago(-301 * 1000)))).status).toBe(401);
      expect(handlers.ids).toEqual([]);
    });

    it('accepts a recent one, and its replay within the hour is a duplicate', async () => {
      const captured = unsignedTime(ago(60_000));
      expect((await send(app, '/webhooks/idaas', captured)).status).toBe(200);
      const replay = await send(app, '/webhooks/idaas', captured);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ received: true, duplicate: true });
      expect(handlers.ids).toHaveLength(1);
    });

    it('applies the same bound to the legacy x-sha2-signature, which has no time at all', async () => {
      const old = signIdaasLegacyRequest({
        secret: IDAAS_SECRET,
        body: { ...idaasFixture('user.created'), eventTime: ago(2 * 3600 * 1000) },
      });
      expect((await send(app, '/webhooks/idaas', old)).status).toBe(401);
    });

    it('does not apply it when the signature has created: the signature window decides', async () => {
      const signed = signIdaasRequest({
        secret: IDAAS_SECRET,
        url: `${base}/webhooks/idaas`,
        body: { ...idaasFixture('user.created'), eventTime: ago(2 * 3600 * 1000) },
      });
      expect((await send(app, '/webhooks/idaas', signed)).status).toBe(200);
    });
  });

  it('takes maxEventAgeSeconds from the options', async () => {
    const { app, base } = await listening(adapter, {
      idaas: { secret: IDAAS_SECRET, maxEventAgeSeconds: 3 * 3600 },
    });
    try {
      const signed = signIdaasRequest({
        secret: IDAAS_SECRET,
        url: `${base}/webhooks/idaas`,
        created: null,
        body: {
          ...idaasFixture('user.created'),
          eventTime: new Date(Date.now() - 2 * 3600 * 1000).toISOString(),
        },
      });
      expect((await send(app, '/webhooks/idaas', signed)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a flood of genuine FaceSign deliveries does not evict the record of a captured one still in its window', async () => {
    const { app, logger, handlers } = await listening(adapter, {
      facesign: { secret: FACESIGN_SECRET },
      deduplicationMaxEntries: 50,
    });
    try {
      const captured = signFaceSignRequest({
        secret: FACESIGN_SECRET,
        body: faceSignFixture('session.status'),
      });
      const capturedId = JSON.parse(captured.body).id as string;
      expect((await send(app, '/webhooks/facesign', captured)).status).toBe(200);

      const statuses: number[] = [];
      for (let i = 0; i < 80; i++) {
        const genuine = signFaceSignRequest({
          secret: FACESIGN_SECRET,
          body: faceSignFixture('session.status'),
        });
        const res = await send(app, '/webhooks/facesign', genuine);
        statuses.push(res.status);
        if (res.status === 503) expect(res.headers['retry-after']).toBe('5');
      }
      // 49 fit beside the captured one; the rest are asked to come back (FaceSign retries 5xx).
      expect(statuses.filter((status) => status === 200)).toHaveLength(49);
      expect(statuses.filter((status) => status === 503)).toHaveLength(31);
      expect(logger.find('warn', 'still inside their replay window')).toHaveLength(1);

      const replay = await send(app, '/webhooks/facesign', captured);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ received: true, duplicate: true });
      expect(handlers.runs(capturedId)).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('FACEIO, whose bearer token carries no time, keeps its plain bounded memory: a flood is never refused', async () => {
    const { app } = await listening(adapter, {
      faceio: { token: FACEIO_TOKEN },
      deduplicationMaxEntries: 20,
    });
    try {
      for (let i = 0; i < 40; i++) {
        const body = faceioFixture('AUTH', { facialId: `flood-${i}` });
        expect(
          (await send(app, '/webhooks/faceio', signFaceioRequest({ token: FACEIO_TOKEN, body }))).status,
        ).toBe(200);
      }
    } finally {
      await app.close();
    }
  });

  it('the Redis store remembers a delivery at least until it leaves its window, even with a shorter TTL', async () => {
    const prefix = `replay-${adapter}-${Date.now()}:`;
    const { app, base } = await listening(adapter, {
      idaas: { secret: IDAAS_SECRET, deduplicationTtlMs: 1_000 },
      deduplicationStore: 'redis',
      redis: process.env.REDIS_URL!,
      redisKeyPrefix: prefix,
    });
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const body = idaasFixture('user.created');
      const signed = signIdaasRequest({ secret: IDAAS_SECRET, url: `${base}/webhooks/idaas`, body });
      expect((await send(app, '/webhooks/idaas', signed)).status).toBe(200);
      const ttl = await redis.pttl(`${prefix}dedup:idaas:${body.id}`);
      // created = now, tolerance 300 s: the record must live about 300 s, not 1 s.
      expect(ttl).toBeGreaterThan(290_000);
      expect(ttl).toBeLessThanOrEqual(302_000);
    } finally {
      redis.disconnect();
      await app.close();
    }
  });
});
