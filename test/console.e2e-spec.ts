import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type CanActivate, type ExecutionContext, type INestApplication, Injectable } from '@nestjs/common';
import { FaceWebhooksModule, type FaceWebhooksConsoleOptions } from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { CHROMIUM, CHROMIUM_ARGS } from './support/chromium.js';
import { ADAPTERS, createTestApp, type AdapterName } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';
import { RedisServer } from './support/redis-server.js';
import { waitFor } from './support/wait-for.js';

// The delivery console: its access rules and JSON over HTTP on both adapters, then the page itself
// in a real browser (Debian's Chromium driven by playwright-core).
const TOKEN = 'console-token';
const OPERATOR = { 'x-operator': 'yes' };
const canAccess = (req: unknown) =>
  (req as { headers: Record<string, unknown> }).headers['x-operator'] === 'yes';

async function start(adapter: AdapterName, console: Partial<FaceWebhooksConsoleOptions> = { canAccess }) {
  const { app } = await createTestApp({
    adapter,
    imports: [
      FaceWebhooksModule.forRoot({
        faceio: { token: TOKEN },
        console: { path: 'admin/webhooks', ...console },
      }),
    ],
    providers: [RecordingHandlers],
  });
  return { app, handlers: app.get(RecordingHandlers) };
}

const deliver = (app: INestApplication, body: object, token = TOKEN) => {
  const signed = signFaceioRequest({ token, body });
  return request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body);
};

@Injectable()
class OperatorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return (
      context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['x-operator'] ===
      'guard'
    );
  }
}

describe.each(ADAPTERS)('delivery console, access and API (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: RecordingHandlers;
  beforeAll(async () => ({ app, handlers } = await start(adapter)));
  afterAll(() => app.close());

  it('refuses to start without an access check', async () => {
    await expect(start(adapter, { canAccess: undefined })).rejects.toThrow(/console needs an access check/);
  });

  it('answers 403 to anyone the predicate refuses, page and API alike', async () => {
    for (const path of ['/admin/webhooks', '/admin/webhooks/api/deliveries', '/admin/webhooks/api/failed']) {
      expect((await request(app.getHttpServer()).get(path)).status).toBe(403);
    }
    const page = await request(app.getHttpServer()).get('/admin/webhooks').set(OPERATOR);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('refuses a replay without the console header, so another site cannot make a browser replay', async () => {
    const res = await request(app.getHttpServer()).post('/admin/webhooks/api/replay-all').set(OPERATOR);
    expect(res.status).toBe(403);
  });

  it('sends a strict CSP with a nonce, no framing, no caching and no sniffing on every response', async () => {
    const page = await request(app.getHttpServer()).get('/admin/webhooks').set(OPERATOR);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'self'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(page.text).toContain(`<script nonce="${nonce}">`);
    const again = await request(app.getHttpServer()).get('/admin/webhooks').set(OPERATOR);
    expect(again.headers['content-security-policy']).not.toBe(csp); // a new nonce per response
    for (const res of [
      page,
      await request(app.getHttpServer()).get('/admin/webhooks/api/deliveries').set(OPERATOR),
      await request(app.getHttpServer()).get('/admin/webhooks/api/summary').set(OPERATOR),
      await request(app.getHttpServer()).get('/admin/webhooks/api/failed'), // refused: 403
    ]) {
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('refuses a cross-site form post and a foreign origin even with the console header', async () => {
    handlers.reset();
    handlers.failures.set('auth', 1);
    expect((await deliver(app, faceioFixture('AUTH', { facialId: `csrf-${adapter}` }))).status).toBe(500);
    const [entry] = (await request(app.getHttpServer()).get('/admin/webhooks/api/failed').set(OPERATOR)).body
      .inline;
    // What a page of another site can make a logged-in browser send: a simple form post.
    const form = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...OPERATOR, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })
      .type('form')
      .send('x=1');
    expect(form.status).toBe(403);
    const foreign = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...OPERATOR, 'x-face-webhooks-console': '1', origin: 'http://127.0.0.1.evil.example' });
    expect(foreign.status).toBe(403);
    const sameSite = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...OPERATOR, 'x-face-webhooks-console': '1', 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    expect(handlers.of('auth')).toHaveLength(0);
    // The console's own request: same origin, custom header.
    const own = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...OPERATOR, 'x-face-webhooks-console': '1', 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
    expect(handlers.of('auth')).toHaveLength(1);
  });

  it('lists deliveries newest first with outcome and reason, searchable by id, and never a secret or body', async () => {
    const body = faceioFixture('ENROLL', { facialId: `console-${adapter}` });
    expect((await deliver(app, body)).status).toBe(200);
    expect((await deliver(app, faceioFixture('AUTH'), 'rotated-elsewhere')).status).toBe(401);
    const res = await request(app.getHttpServer()).get('/admin/webhooks/api/deliveries').set(OPERATOR);
    const [refused, accepted] = res.body.deliveries;
    expect(refused).toMatchObject({ provider: 'faceio', outcome: 'rejected', reason: 'token_mismatch' });
    expect(accepted).toMatchObject({ provider: 'faceio', type: 'faceio.ENROLL', outcome: 'accepted' });
    expect(res.text).not.toContain(TOKEN);
    expect(res.text).not.toContain('rotated-elsewhere');
    expect(res.text).not.toContain(`console-${adapter}`); // the body's facialId

    const search = await request(app.getHttpServer())
      .get(`/admin/webhooks/api/deliveries?q=${accepted.id.slice(10, 30)}`)
      .set(OPERATOR);
    expect(search.body.deliveries.map((d: { id: string }) => d.id)).toEqual([accepted.id]);
  });

  it('replays a failed inline delivery through the normal handlers, once', async () => {
    handlers.reset();
    handlers.failures.set('auth', 1);
    const body = faceioFixture('AUTH', { facialId: `console-replay-${adapter}` });
    expect((await deliver(app, body)).status).toBe(500);
    const failed = await request(app.getHttpServer()).get('/admin/webhooks/api/failed').set(OPERATOR);
    const [entry] = failed.body.inline;
    expect(entry).toMatchObject({ type: 'faceio.AUTH', outcome: 'failed', replayable: true });

    const replay = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...OPERATOR, 'x-face-webhooks-console': '1' });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true });
    expect(handlers.of('auth')).toHaveLength(1);
    // The handlers that had succeeded were recorded and did not run again.
    expect(handlers.of('faceio.*')).toHaveLength(1);
    expect(
      (await request(app.getHttpServer()).get('/admin/webhooks/api/failed').set(OPERATOR)).body.inline,
    ).toEqual([]);
    // A second replay of the same record is a duplicate: de-duplication is respected.
    const again = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...OPERATOR, 'x-face-webhooks-console': '1' });
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('auth')).toHaveLength(1);
  });

  it('takes a Nest guard instead of a predicate', async () => {
    const guarded = await start(adapter, { guard: OperatorGuard });
    try {
      expect((await request(guarded.app.getHttpServer()).get('/admin/webhooks').set(OPERATOR)).status).toBe(
        403,
      );
      const ok = await request(guarded.app.getHttpServer())
        .get('/admin/webhooks')
        .set({ 'x-operator': 'guard' });
      expect(ok.status).toBe(200);
    } finally {
      await guarded.app.close();
    }
  });
});

describe.each(ADAPTERS)('delivery console over Redis, two instances (%s)', (adapter) => {
  it("shows every instance's deliveries, and replays on one a failure the other saw", async () => {
    const shared = {
      redis: process.env.REDIS_URL!,
      redisKeyPrefix: `console-${randomUUID()}:`,
      deduplicationStore: 'redis' as const,
    };
    const instance = () =>
      createTestApp({
        adapter,
        imports: [
          FaceWebhooksModule.forRoot({
            faceio: { token: TOKEN },
            ...shared,
            console: { path: 'admin/webhooks', canAccess },
          }),
        ],
        providers: [RecordingHandlers],
      });
    const one = await instance();
    const two = await instance();
    try {
      one.app.get(RecordingHandlers).failures.set('auth', 1);
      const body = faceioFixture('AUTH', { facialId: `console-redis-${adapter}` });
      expect((await deliver(one.app, body)).status).toBe(500);
      expect((await deliver(two.app, faceioFixture('ENROLL', { facialId: `r2-${adapter}` }))).status).toBe(
        200,
      );

      let deliveries: { outcome: string }[] = [];
      await waitFor('both deliveries in the shared log', async () => {
        const res = await request(two.app.getHttpServer())
          .get('/admin/webhooks/api/deliveries')
          .set(OPERATOR);
        deliveries = res.body.deliveries;
        return deliveries.length === 2;
      });
      expect(deliveries.map((d) => d.outcome)).toEqual(['accepted', 'failed']);

      const failed = await request(two.app.getHttpServer()).get('/admin/webhooks/api/failed').set(OPERATOR);
      const [entry] = failed.body.inline;
      expect(entry).toMatchObject({
        type: 'faceio.AUTH',
        replayable: true,
        seq: expect.stringMatching(/^\d+-\d+$/),
      });
      const replay = await request(two.app.getHttpServer())
        .post(`/admin/webhooks/api/replay/${entry.seq}`)
        .set({ ...OPERATOR, 'x-face-webhooks-console': '1' });
      expect(replay.body).toEqual({ received: true });
      expect(two.app.get(RecordingHandlers).of('auth')).toHaveLength(1);
      // The handlers that had finished on the first instance were recorded in Redis: not rerun.
      const wildcard = two.app.get(RecordingHandlers).of('faceio.*');
      expect(wildcard.filter((event) => event.type === 'faceio.AUTH')).toHaveLength(0);
    } finally {
      await one.app.close();
      await two.app.close();
    }
  });
});

describe('delivery log in Redis while Redis is down', () => {
  it('never holds up or fails a delivery: the log write is dropped and warned about', async () => {
    const redis = await RedisServer.start();
    const { app, logger } = await createTestApp({
      adapter: 'express',
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: TOKEN },
          redis: redis.url, // the memory de-duplication store; Redis only for the log
          console: { path: 'admin/webhooks', canAccess },
        }),
      ],
      providers: [RecordingHandlers],
    });
    try {
      await redis.stop();
      const res = await deliver(app, faceioFixture('ENROLL', { facialId: 'log-down' }));
      expect(res.status).toBe(200);
      await waitFor(
        'the warning',
        () => logger.find('warn', 'Delivery log not written to Redis').length === 1,
      );
      const page = await request(app.getHttpServer()).get('/admin/webhooks/api/deliveries').set(OPERATOR);
      expect(page.status).toBe(503);
      expect(page.body.message).toMatch(/^The delivery log cannot be read/);
    } finally {
      await app.close();
      await redis.stop();
    }
  });
});

describe('delivery console in a browser', () => {
  let browser: Browser;
  let app: INestApplication;
  let handlers: RecordingHandlers;
  let base: string;

  beforeAll(async () => {
    ({ app, handlers } = await start('express'));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  it('shows deliveries live, replays a failed event on a click, and searches by id', async () => {
    const page = await browser.newPage({
      extraHTTPHeaders: OPERATOR,
      viewport: { width: 1200, height: 800 },
    });
    await page.goto(`${base}/admin/webhooks`);

    // Deliveries arriving while the page is open appear without a reload.
    expect((await deliver(app, faceioFixture('ENROLL', { facialId: 'browser-1' }))).status).toBe(200);
    await page.locator('#deliveries tbody tr[data-outcome="accepted"]').first().waitFor();

    // A handler fails: the event is listed with a Replay button; a click runs it again, once.
    handlers.reset();
    handlers.failures.set('auth', 1);
    expect((await deliver(app, faceioFixture('AUTH', { facialId: 'browser-replay' }))).status).toBe(500);
    const replay = page.locator('#failed tbody button.replay');
    await replay.first().waitFor();
    if (process.env.CONSOLE_SCREENSHOT) {
      await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT, fullPage: true });
    }
    await replay.first().click();
    await waitFor(
      'the failed list to empty',
      async () => (await page.locator('#failed tbody tr').count()) === 0,
    );
    expect(handlers.of('auth').map((event) => (event.data as { facialId: string }).facialId)).toEqual([
      'browser-replay',
    ]);
    await page.locator('#deliveries tbody tr[data-outcome="failed"]').first().waitFor();

    // Search by event id narrows the list.
    const id = handlers.of('auth')[0]!.id;
    await page.fill('#search', id.slice(0, 16));
    const prefix = id.slice(0, 16);
    await waitFor('the search to narrow the list', async () => {
      const ids = await page
        .locator('#deliveries tbody tr')
        .evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { id: string } }).dataset.id));
      return ids.length > 0 && ids.every((rowId) => rowId.startsWith(prefix));
    });
    expect(await page.locator('#deliveries tbody tr').count()).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it('summarises a provider whose deliveries are all refused', async () => {
    const { app: fresh } = await start('express');
    await fresh.listen(0, '127.0.0.1');
    const page = await browser.newPage({ extraHTTPHeaders: OPERATOR });
    try {
      for (let i = 0; i < 3; i++)
        expect((await deliver(fresh, faceioFixture('AUTH'), 'old-token')).status).toBe(401);
      await page.goto(
        `http://127.0.0.1:${(fresh.getHttpServer().address() as AddressInfo).port}/admin/webhooks`,
      );
      const alert = page.locator('#alerts p');
      await alert.first().waitFor();
      expect(await alert.first().textContent()).toContain(
        'faceio: 3 deliveries refused and none accepted in the last 5 minutes (token_mismatch ×3)',
      );
    } finally {
      await page.close();
      await fresh.close();
    }
  }, 30_000);
});
