import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import {
  faceioFixture,
  faceSignFixture,
  signFaceioRequest,
  signFaceSignRequest,
} from 'nestjs-face-webhooks/testing';
import { FaceWebhooksModule } from 'nestjs-face-webhooks';
import request from 'supertest';
import { startSampleApp } from './support/sample-app.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

// The sample app's GET /metrics (OpenTelemetry SDK + Prometheus reader), scraped after real
// deliveries. Counters are process-wide, so each case compares a scrape before and after.
const TOKEN = 'metrics-test-token';
const FACESIGN_SECRET = 'whsec_metrics_test';
const ENV = {
  FACEIO_WEBHOOK_TOKEN: TOKEN,
  FACESIGN_WEBHOOK_SECRET: FACESIGN_SECRET,
  FACESIGN_MEDIA_ALLOW_HTTP: 'true',
  IDAAS_WEBHOOK_SECRET: 'metrics-idaas-secret',
};

/** The value of one Prometheus sample whose labels include all of `labels` (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}

describe.each(ADAPTERS)('GET /metrics of the sample app (%s)', (adapter) => {
  let app: INestApplication;
  let mediaServer: Server;
  let mediaBase: string;
  const scrape = async () => {
    const res = await request(app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };
  const faceio = (body: object, token = TOKEN) => {
    const signed = signFaceioRequest({ token, body });
    return request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body);
  };
  const facesign = (body: object, timestamp?: number) => {
    const signed = signFaceSignRequest({ secret: FACESIGN_SECRET, body, timestamp });
    return request(app.getHttpServer()).post('/webhooks/facesign').set(signed.headers).send(signed.body);
  };

  beforeAll(async () => {
    // A media host that is down: the sample app's media handler fails, and the delivery with it.
    mediaServer = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
    mediaBase = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}`;
    Object.assign(process.env, ENV);
    app = await startSampleApp(adapter);
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => mediaServer.close(resolve));
    for (const key of Object.keys(ENV)) delete process.env[key];
  });

  it('counts an unknown tenant and a bad credential for a known one alike: the metrics name no tenants', async () => {
    const before = await scrape();
    const signed = signFaceioRequest({ token: 'not-a-tenant-token', body: faceioFixture('AUTH') });
    for (const tenant of ['acme', 'no-such-tenant']) {
      const res = await request(app.getHttpServer())
        .post(`/webhooks/faceio/${tenant}`)
        .set(signed.headers)
        .send(signed.body);
      expect(res.status).toBe(404);
    }
    const after = await scrape();
    const delta = (reason: string) => {
      const labels = {
        face_webhooks_provider: 'faceio',
        face_webhooks_outcome: 'rejected',
        face_webhooks_reason: reason,
      };
      return (
        sample(after, 'face_webhooks_deliveries_total', labels) -
        sample(before, 'face_webhooks_deliveries_total', labels)
      );
    };
    expect([delta('tenant_refused'), delta('unknown_tenant'), delta('token_mismatch')]).toEqual([2, 0, 0]);
  });

  it('counts accepted, duplicated, refused (by reason) and failed deliveries, and times them', async () => {
    const before = await scrape();
    const enrol = faceioFixture('ENROLL', { facialId: `metrics-${adapter}` });
    expect((await faceio(enrol)).status).toBe(200);
    expect((await faceio(enrol)).body).toEqual({ received: true, duplicate: true });
    expect((await faceio(faceioFixture('AUTH'), 'wrong-token')).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 3600;
    expect((await facesign(faceSignFixture('session.status'), stale)).status).toBe(401);
    expect((await faceio({ ...faceioFixture('AUTH'), clientIp: 'nowhere' })).status).toBe(400);
    const media = faceSignFixture('media.user_photo');
    media.media = { ...media.media!, url: `${mediaBase}/photo.jpg` };
    expect((await facesign(media)).status).toBe(500);
    const after = await scrape();

    const delta = (labels: Record<string, string>, name = 'face_webhooks_deliveries_total') =>
      sample(after, name, labels) - sample(before, name, labels);
    const faceioLabels = { face_webhooks_provider: 'faceio' };
    expect(delta({ ...faceioLabels, face_webhooks_outcome: 'accepted' })).toBe(1);
    expect(delta({ ...faceioLabels, face_webhooks_outcome: 'duplicate' })).toBe(1);
    expect(delta(faceioLabels, 'face_webhooks_duplicates_total')).toBe(1);
    expect(
      delta({ ...faceioLabels, face_webhooks_outcome: 'rejected', face_webhooks_reason: 'token_mismatch' }),
    ).toBe(1);
    expect(
      delta({ ...faceioLabels, face_webhooks_outcome: 'rejected', face_webhooks_reason: 'invalid_body' }),
    ).toBe(1);
    expect(
      delta({
        face_webhooks_provider: 'facesign',
        face_webhooks_outcome: 'rejected',
        face_webhooks_reason: 'timestamp_outside_window',
      }),
    ).toBe(1);
    expect(delta({ face_webhooks_provider: 'facesign', face_webhooks_outcome: 'failed' })).toBe(1);

    // Durations: one observation per delivery, in seconds; one per handler run, named.
    expect(
      delta({ ...faceioLabels, face_webhooks_outcome: 'accepted' }, 'face_webhooks_delivery_duration_count'),
    ).toBe(1);
    expect(
      delta(
        {
          face_webhooks_handler: 'VerificationSessionsService.onMedia',
          face_webhooks_outcome: 'failed',
        },
        'face_webhooks_handler_duration_count',
      ),
    ).toBe(1);
    // The memory store's size, observed when scraped.
    expect(sample(after, 'face_webhooks_deduplication_entries', {})).toBeGreaterThan(0);
  });

  it('counts a body over the limit, answered before any handler is chosen', async () => {
    const before = await scrape();
    const huge = JSON.stringify({ ...faceioFixture('AUTH'), pad: 'x'.repeat(300 * 1024) });
    const res = await request(app.getHttpServer())
      .post('/webhooks/faceio')
      .set(signFaceioRequest({ token: TOKEN, body: {} }).headers)
      .send(huge);
    expect(res.status).toBe(413);
    const after = await scrape();
    const labels = {
      face_webhooks_provider: 'faceio',
      face_webhooks_outcome: 'rejected',
      face_webhooks_reason: 'body_too_large',
    };
    expect(
      sample(after, 'face_webhooks_deliveries_total', labels) -
        sample(before, 'face_webhooks_deliveries_total', labels),
    ).toBe(1);
  });
});

describe('queue gauges, in the same /metrics', () => {
  it('report the failed set of a queued app', async () => {
    Object.assign(process.env, ENV);
    const sampleApp = await startSampleApp('express');
    const { app: queued } = await createTestApp({
      adapter: 'express',
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: TOKEN },
          redis: process.env.REDIS_URL!,
          redisKeyPrefix: `metrics-${randomUUID()}:`,
          deduplicationStore: 'redis',
          worker: { attempts: 1 },
          queue: true,
        }),
      ],
      providers: [RecordingHandlers],
    });
    try {
      const handlers = queued.get(RecordingHandlers);
      handlers.failures.set('auth', 1);
      const signed = signFaceioRequest({
        token: TOKEN,
        body: faceioFixture('AUTH', { facialId: 'gauge-1' }),
      });
      const res = await request(queued.getHttpServer())
        .post('/webhooks/faceio')
        .set(signed.headers)
        .send(signed.body);
      expect(res.status).toBe(202);
      let failed = 0;
      for (let i = 0; i < 100 && failed === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const text = (await request(sampleApp.getHttpServer()).get('/metrics')).text;
        failed = sample(text, 'face_webhooks_queue_jobs', { face_webhooks_job_state: 'failed' });
      }
      expect(failed).toBe(1);
    } finally {
      await queued.close();
      await sampleApp.close();
      for (const key of Object.keys(ENV)) delete process.env[key];
    }
  });
});
