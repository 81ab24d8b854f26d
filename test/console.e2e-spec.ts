/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type CanActivate, type ExecutionContext, type INestApplication, Injectable } from '@nestjs/common';
import {
  FaceWebhooksModule,
  type FaceWebhooksConsoleAlert,
  type FaceWebhooksConsoleOptions,
} from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
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
      // What could not be written waits in memory, and the console says the log is unavailable.
      const page = await request(app.getHttpServer()).get('/admin/webhooks/api/deliveries').set(OPERATOR);
      expect(page.status).toBe(200);
      expect(page.body.log).toMatchObject({ available: false, buffered: 1 });
      expect(page.body.deliveries).toMatchObject([{ outcome: 'accepted', type: 'faceio.ENROLL' }]);
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
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // `npm run screenshots` sets it: each view at 1440 px into docs/console/. `npm test` writes nothing.
  const shots = process.env.CONSOLE_SCREENSHOTS;

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

  /** Runs axe-core in the page: the serious and critical violations, as readable lines. */
  async function axe(page: Page): Promise<string[]> {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (
        globalThis as unknown as {
          axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        }
      ).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id} (${v.nodes} nodes)`);
  }

  /** Elements wider than the window, and whether the page scrolls sideways. */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = Array.from(document.querySelectorAll('body *'))
        .filter((node) => (node as HTMLElement).offsetParent !== null)
        .filter((node) => node.getBoundingClientRect().right > width + 1)
        .map((node) => node.tagName + (node.id ? '#' + node.id : ''));
      return { scrolls: document.documentElement.scrollWidth > width, wide: wide.slice(0, 5) };
    });

  it('shows each view at 1024 and 1440 px, accessible and without sideways scrolling, and replays one and a filtered set', async () => {
    handlers.reset();
    for (let i = 0; i < 3; i++) {
      expect((await deliver(app, faceioFixture('ENROLL', { facialId: `browser-${i}` }))).status).toBe(200);
    }
    expect((await deliver(app, faceioFixture('AUTH'), 'old-token')).status).toBe(401);
    handlers.failures.set('auth', 3);
    for (let i = 0; i < 3; i++) {
      const body = faceioFixture('AUTH', { facialId: `browser-replay-${i}` });
      expect((await deliver(app, body)).status).toBe(500);
    }
    const detailSeq = (await request(app.getHttpServer()).get('/admin/webhooks/api/failed').set(OPERATOR))
      .body.inline[0].seq as string;

    for (const width of [1024, 1440]) {
      const page = await browser.newPage({ extraHTTPHeaders: OPERATOR, viewport: { width, height: 900 } });
      try {
        for (const [view, hash, ready] of [
          ['deliveries', '#deliveries', '#deliveries tbody tr[data-outcome="failed"]'],
          ['failed', '#failed', '#failed tbody button.replay'],
          ['detail', `#delivery/${detailSeq}`, '#d-attempts tbody tr'],
        ] as const) {
          await page.goto(`${base}/admin/webhooks${hash}`);
          await page.locator(ready).first().waitFor();
          expect({ view, width, violations: await axe(page) }).toEqual({ view, width, violations: [] });
          expect({ view, width, ...(await overflow(page)) }).toEqual({
            view,
            width,
            scrolls: false,
            wide: [],
          });
          if (view === 'failed') {
            // Replay is on screen, inside the window.
            const box = (await page.locator('#failed tbody button.replay').first().boundingBox())!;
            expect(box.x + box.width).toBeLessThanOrEqual(width);
          }
          if (shots && width === 1440) {
            await page.screenshot({ path: `${shots}/${view}.png`, fullPage: true });
          }
        }
      } finally {
        await page.close();
      }
    }

    const page = await browser.newPage({
      extraHTTPHeaders: OPERATOR,
      viewport: { width: 1024, height: 900 },
    });
    try {
      await page.goto(`${base}/admin/webhooks#failed`);
      const rows = page.locator('#failed tbody tr');
      await waitFor('three failed events', async () => (await rows.count()) === 3);
      // One, by keyboard: the button is a button, reached with Tab, pressed with Enter.
      const first = page.locator('#failed tbody button.replay').first();
      await first.focus();
      await page.keyboard.press('Enter');
      await page.locator('#failed .result-ok').first().waitFor();
      expect(await page.locator('#failed .result-ok').first().textContent()).toBe('Replayed: accepted');
      expect(handlers.of('auth')).toHaveLength(1);
      // The other two stay, with their buttons; the replayed row keeps its outcome.
      expect(await page.locator('#failed tbody button.replay').count()).toBe(2);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('replays a filtered set after a confirmation and shows each outcome, and searches by id', async () => {
    handlers.reset();
    handlers.failures.set('auth', 2);
    for (let i = 0; i < 2; i++) {
      const body = faceioFixture('AUTH', { facialId: `browser-bulk-${i}` });
      expect((await deliver(app, body)).status).toBe(500);
    }
    const failed = await request(app.getHttpServer()).get('/admin/webhooks/api/failed').set(OPERATOR);
    const ids = (failed.body.inline as { id: string }[]).slice(0, 2).map((entry) => entry.id);
    const page = await browser.newPage({
      extraHTTPHeaders: OPERATOR,
      viewport: { width: 1440, height: 900 },
    });
    try {
      await page.goto(`${base}/admin/webhooks#failed`);
      await page.locator('#failed tbody button.replay').first().waitFor();
      await page.fill('#failed-filters input[name="q"]', ids[0]!);
      await page.click('#failed-filters button[type="submit"]');
      await waitFor(
        'the filter to leave one event',
        async () => (await page.locator('#replay-matching').textContent()) === 'Replay the 1 matching event…',
      );
      await page.click('#replay-matching');
      expect(await page.locator('#confirm-text').textContent()).toMatch(
        /^Replay 1 failed event that matches the filter\?/,
      );
      await page.click('#confirm-yes');
      await page.locator('#bulk-result .result-ok').waitFor();
      expect(await page.locator('#bulk-result').textContent()).toContain('1 event replayed, 0 failed again.');
      expect(handlers.of('auth').map((event) => event.id)).toEqual([ids[0]]);

      // The detail view shows the replay as a second attempt, by the console user.
      await page.goto(`${base}/admin/webhooks#deliveries`);
      await page.fill('#search', ids[0]!);
      await waitFor('the search to narrow the list', async () => {
        const found = await page
          .locator('#deliveries tbody tr')
          .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.id));
        return found.length === 1 && found[0] === ids[0];
      });
      await page.locator('#deliveries tbody tr a').first().click();
      await waitFor('two attempts', async () => (await page.locator('#d-attempts tbody tr').count()) === 2);
      expect(await page.locator('#d-attempts tbody tr').nth(1).textContent()).toContain('replay');
      expect(await page.locator('#d-handlers').textContent()).toContain('auth failed on purpose');
      expect(await page.locator('#d-headers').textContent()).toContain('masked');
      if (shots) await page.screenshot({ path: `${shots}/detail.png`, fullPage: true });
    } finally {
      await page.close();
    }
  }, 60_000);

  it('updates live without a reload, keeping focus and unsubmitted filters; fits a phone', async () => {
    const page = await browser.newPage({
      extraHTTPHeaders: OPERATOR,
      viewport: { width: 1440, height: 900 },
    });
    try {
      await page.goto(`${base}/admin/webhooks#deliveries`);
      const rows = page.locator('#deliveries tbody tr');
      await rows.first().waitFor();
      const before = await rows.count();
      await page.fill('#filters input[name="tenant"]', 'typed-not-applied');
      await rows.first().locator('a').focus();
      const focused = await page.evaluate(() => (document.activeElement as HTMLElement).textContent);
      expect((await deliver(app, faceioFixture('ENROLL', { facialId: 'browser-live' }))).status).toBe(200);
      await waitFor('the new delivery to appear', async () => (await rows.count()) === before + 1);
      expect(await page.inputValue('#filters input[name="tenant"]')).toBe('typed-not-applied');
      expect(await page.evaluate(() => (document.activeElement as HTMLElement).textContent)).toBe(focused);
    } finally {
      await page.close();
    }
    const phone = await browser.newPage({
      extraHTTPHeaders: OPERATOR,
      viewport: { width: 390, height: 844 },
    });
    try {
      for (const [hash, ready] of [
        ['#deliveries', '#deliveries tbody tr'],
        ['#failed', '#failed tbody tr'],
      ] as const) {
        await phone.goto(`${base}/admin/webhooks${hash}`);
        await phone.locator(ready).first().waitFor();
        expect({ hash, ...(await overflow(phone)) }).toEqual({ hash, scrolls: false, wide: [] });
        expect({ hash, violations: await axe(phone) }).toEqual({ hash, violations: [] });
      }
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('cannot be shown in a frame of another origin', async () => {
    const framing = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<!doctype html><iframe id="f" src="${base}/admin/webhooks" width="800" height="600"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => framing.listen(0, 'localhost', resolve));
    const page = await browser.newPage({ extraHTTPHeaders: OPERATOR });
    try {
      await page.goto(`http://localhost:${(framing.address() as AddressInfo).port}/`);
      await page.waitForTimeout(1_000);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const shown = frame
        ? await frame.evaluate(() => document.querySelector('#view-deliveries') !== null).catch(() => false)
        : false;
      expect(shown).toBe(false);
    } finally {
      await page.close();
      await new Promise((resolve) => framing.close(resolve));
    }
  }, 30_000);

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

const ACTION = { ...OPERATOR, 'x-face-webhooks-console': '1' };

describe.each(ADAPTERS)('delivery console, body fields through the payload hook (%s)', (adapter) => {
  let app: INestApplication;
  const api = (path: string) => request(app.getHttpServer()).get(`/admin/webhooks/api/${path}`).set(OPERATOR);
  beforeAll(
    async () =>
      ({ app } = await start(adapter, {
        canAccess,
        // Show the type of enrolment and the last four characters of the facial id, nothing else.
        payload: ({ type, body }) => {
          const { facialId } = body as { facialId: string };
          if (facialId === 'hook-throws') throw new Error('boom');
          return { type, facialId: `••••${facialId.slice(-4)}` };
        },
      })),
  );
  afterAll(() => app.close());

  it('keeps and shows only what the hook returns, and nothing of a refused body', async () => {
    const facialId = `secret-face-${adapter}-9f3c`;
    expect((await deliver(app, faceioFixture('ENROLL', { facialId }))).status).toBe(200);
    expect(
      (await deliver(app, faceioFixture('ENROLL', { facialId: 'refused-face' }), 'bad-token')).status,
    ).toBe(401);
    expect((await deliver(app, faceioFixture('ENROLL', { facialId: 'hook-throws' }))).status).toBe(200);
    const list = (await api('deliveries')).body;
    const [thrown, refused, shown] = list.deliveries as { seq: string; payload?: unknown }[];
    expect((await api(`deliveries/${shown!.seq}`)).body.delivery.payload).toEqual({
      type: 'faceio.ENROLL',
      facialId: '••••9f3c',
    });
    expect(JSON.stringify(list)).not.toContain(facialId);
    expect(JSON.stringify(list)).not.toContain('"details"');
    expect(refused!.payload).toBeUndefined();
    expect(JSON.stringify(list)).not.toContain('refused-face');
    expect(thrown!.payload).toEqual({ '(not shown)': 'the console payload hook failed' });
  });
});

describe.each(ADAPTERS)('delivery console, second pass: detail, filters, replay, alerts (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: RecordingHandlers;
  const alerts: FaceWebhooksConsoleAlert[] = [];
  const api = (path: string) => request(app.getHttpServer()).get(`/admin/webhooks/api/${path}`).set(OPERATOR);
  beforeAll(
    async () =>
      ({ app, handlers } = await start(adapter, {
        canAccess,
        onAlert: (alert) => void alerts.push(alert),
        alertCheckIntervalMs: 100,
      })),
  );
  afterAll(() => app.close());

  it('pages over the whole log with a cursor, filters it, and finds by event id or delivery number', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const body = faceioFixture('ENROLL', { facialId: `page-${adapter}-${i}` });
      expect((await deliver(app, body)).status).toBe(200);
    }
    expect((await deliver(app, faceioFixture('AUTH'), 'wrong-token-xyz')).status).toBe(401);
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const res = await api(`deliveries?limit=3${before ? `&before=${before}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(8);
      seen.push(...res.body.deliveries.map((d: { seq: string }) => d.seq));
      ids.push(...res.body.deliveries.map((d: { id: string }) => d.id));
      before = res.body.next;
      pages++;
    } while (before);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(8);

    const refused = await api('deliveries?outcome=rejected&reason=token_mismatch');
    expect(refused.body.deliveries).toHaveLength(1);
    expect(refused.body.deliveries[0]).toMatchObject({ provider: 'faceio', reason: 'token_mismatch' });
    expect((await api('deliveries?provider=nobody')).body.deliveries).toEqual([]);
    expect((await api(`deliveries?since=${Date.now() + 60_000}`)).body.deliveries).toEqual([]);
    expect((await api(`deliveries?until=${Date.now() + 60_000}`)).body.total).toBe(8);
    const byId = await api(`deliveries?q=${encodeURIComponent(ids[2]!)}`);
    expect(byId.body.deliveries.map((d: { id: string }) => d.id)).toEqual([ids[2]]);
    const bySeq = await api(`deliveries?q=${seen[4]}`);
    expect(bySeq.body.deliveries.map((d: { seq: string }) => d.seq)).toContain(seen[4]);

    const detail = await api(`deliveries/${refused.body.deliveries[0].seq}`);
    expect(detail.body.delivery.reasonText).toMatch(/token matches none of the configured tokens/);
    expect(JSON.stringify(detail.body)).not.toContain('wrong-token-xyz');
    expect(detail.body.delivery.headers['www-authenticate']).toMatch(/^•••• masked/);
  });

  it('shows a failed delivery in detail: handlers with durations and errors, and each replay as an attempt by its user', async () => {
    handlers.reset();
    handlers.failures.set('auth', 2);
    expect((await deliver(app, faceioFixture('AUTH', { facialId: `detail-${adapter}` }))).status).toBe(500);
    const [entry] = (await api('failed')).body.inline;
    const first = (await api(`deliveries/${entry.seq}`)).body;
    const runs = first.delivery.handlers as { handler: string; durationMs: number; error?: string }[];
    expect(runs.map((run) => run.handler).sort()).toEqual([
      'RecordingHandlers.onAnyFaceio',
      'RecordingHandlers.onAuth',
      'RecordingHandlers.onEverything',
    ]);
    expect(runs.find((run) => run.handler === 'RecordingHandlers.onAuth')).toMatchObject({
      error: 'auth failed on purpose',
      durationMs: expect.any(Number),
    });
    // FACEIO sends its token as `WWW-Authenticate: Bearer <token>`: masked.
    expect(first.delivery.headers['www-authenticate']).toMatch(/^•••• masked/);
    expect(first.delivery.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(first)).not.toContain(TOKEN);

    const total = (await api('deliveries')).body.total;
    const basic = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
    const again = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...ACTION, ...basic });
    expect(again.status).toBe(500); // fails a second time
    const ok = await request(app.getHttpServer())
      .post(`/admin/webhooks/api/replay/${entry.seq}`)
      .set({ ...ACTION, ...basic });
    expect(ok.body).toEqual({ received: true });
    // Replays are attempts of the delivery, not new deliveries.
    expect((await api('deliveries')).body.total).toBe(total);
    const detail = (await api(`deliveries/${entry.seq}`)).body;
    expect(detail.delivery).toMatchObject({ attempts: 3, outcome: 'failed', lastOutcome: 'accepted' });
    expect(
      detail.attempts.map((a: { outcome: string; replayedBy?: string }) => [a.outcome, a.replayedBy]),
    ).toEqual([
      ['failed', undefined],
      ['failed', 'admin'],
      ['accepted', 'admin'],
    ]);
    expect(detail.attempts[1].handlers.find((h: { error?: string }) => h.error)).toMatchObject({
      handler: 'RecordingHandlers.onAuth',
    });
  });

  it('replays what a filter matches once the count is confirmed, reporting each outcome, and the alert clears', async () => {
    handlers.reset();
    alerts.length = 0;
    handlers.failures.set('auth', 3);
    for (let i = 0; i < 3; i++) {
      const body = faceioFixture('AUTH', { facialId: `bulk-${adapter}-${i}` });
      expect((await deliver(app, body)).status).toBe(500);
    }
    const failed = await api('failed?provider=faceio');
    expect(failed.body.count).toBe(3);
    const summary = (await api('summary')).body;
    expect(summary.alerts).toContain('faceio: 3 events failed in a handler and wait for a replay.');
    await waitFor('the alert hook to be called', () =>
      alerts.some((a) => a.key === 'failed:faceio' && a.state === 'raised' && a.count === 3),
    );

    const stale = await request(app.getHttpServer())
      .post('/admin/webhooks/api/replay-matching')
      .set(ACTION)
      .send({ filter: { provider: 'faceio' }, expect: 2 });
    expect(stale.status).toBe(409);
    expect(handlers.of('auth')).toHaveLength(0);

    handlers.failures.set('auth', 1); // one of the three fails again
    const bulk = await request(app.getHttpServer())
      .post('/admin/webhooks/api/replay-matching')
      .set(ACTION)
      .send({ filter: { provider: 'faceio' }, expect: 3 });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ replayed: 2, failed: 1 });
    expect(bulk.body.errors).toHaveLength(1);
    expect(bulk.body.errors[0]).toMatch(/A webhook handler failed/);
    expect(bulk.body.results.map((r: { outcome: string }) => r.outcome).sort()).toEqual([
      'accepted',
      'accepted',
      'failed',
    ]);
    expect((await api('summary')).body.alerts).toContain(
      'faceio: 1 event failed in a handler and waits for a replay.',
    );

    const rest = await request(app.getHttpServer()).post('/admin/webhooks/api/replay-all').set(ACTION);
    expect(rest.body).toMatchObject({ replayed: 1, failed: 0, errors: [] });
    expect((await api('failed')).body.count).toBe(0);
    expect(
      (await api('summary')).body.alertList.filter((a: { kind: string }) => a.kind === 'failed'),
    ).toEqual([]);
    await waitFor('the alert hook to hear it cleared', () =>
      alerts.some((a) => a.key === 'failed:faceio' && a.state === 'cleared'),
    );
  });

  it('says "1 delivery refused" for one refusal', async () => {
    const fresh = await start(adapter);
    try {
      expect((await deliver(fresh.app, faceioFixture('AUTH'), 'old')).status).toBe(401);
      const res = await request(fresh.app.getHttpServer()).get('/admin/webhooks/api/summary').set(OPERATOR);
      expect(res.body.alerts[0]).toMatch(/^faceio: 1 delivery refused and none accepted/);
    } finally {
      await fresh.app.close();
    }
  });

  it('alerts on a spike of refusals beside accepted deliveries, from refusalAlertThreshold on', async () => {
    const fresh = await start(adapter, { canAccess, refusalAlertThreshold: 3 });
    const summary = async () =>
      (await request(fresh.app.getHttpServer()).get('/admin/webhooks/api/summary').set(OPERATOR)).body
        .alerts as string[];
    try {
      expect((await deliver(fresh.app, faceioFixture('AUTH'))).status).toBe(200);
      for (let i = 0; i < 2; i++)
        expect((await deliver(fresh.app, faceioFixture('AUTH'), 'probe')).status).toBe(401);
      expect(await summary()).toEqual([]); // 2 refusals beside an accepted delivery: below the threshold
      expect((await deliver(fresh.app, faceioFixture('AUTH'), 'probe')).status).toBe(401);
      expect(await summary()).toEqual([
        expect.stringMatching(
          /^faceio: 3 deliveries refused in the last 5 minutes, 1 accepted \(token_mismatch ×3\)/,
        ),
      ]);
    } finally {
      await fresh.app.close();
    }
  });
});

describe('delivery log in Redis during an outage', () => {
  it('keeps what cannot be written in memory, shows it, and writes it when Redis returns', async () => {
    const redis = await RedisServer.start();
    const { app } = await createTestApp({
      adapter: 'express',
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: TOKEN },
          redis: redis.url,
          redisKeyPrefix: `outage-${randomUUID()}:`,
          deduplicationStore: 'redis',
          console: { path: 'admin/webhooks', canAccess },
        }),
      ],
      providers: [RecordingHandlers],
    });
    const api = (path: string) =>
      request(app.getHttpServer()).get(`/admin/webhooks/api/${path}`).set(OPERATOR);
    try {
      expect((await deliver(app, faceioFixture('ENROLL', { facialId: 'before' }))).status).toBe(200);
      await redis.stop();
      const res = await deliver(app, faceioFixture('ENROLL', { facialId: 'during' }));
      expect(res.status).toBe(503);
      let during: request.Response | undefined;
      await waitFor('the 503 to be shown from the buffer', async () => {
        during = await api('deliveries');
        return (
          during.status === 200 &&
          during.body.deliveries.some((d: { outcome: string }) => d.outcome === 'retry-later')
        );
      });
      expect(during!.body.log).toMatchObject({ available: false, buffered: 1 });

      await redis.start();
      await waitFor(
        'the buffer to be written',
        async () => (await api('deliveries')).body.log?.available === true,
        20_000,
      );
      const after = await api('deliveries');
      expect(after.body.log.lastOutage).toMatchObject({ kept: 1, dropped: 0 });
      const outcomes = after.body.deliveries.map((d: { outcome: string; seq: string }) => [
        d.outcome,
        /^\d+-\d+$/.test(d.seq),
      ]);
      // Written to Redis on its return (a stream id), newest; whether the entry from before the outage
      // is still there depends on whether redis-server saved it when it stopped.
      expect(outcomes[0]).toEqual(['retry-later', true]);
      expect(outcomes.every(([, inRedis]: [string, boolean]) => inRedis)).toBe(true);
      expect(outcomes.filter(([outcome]: [string, boolean]) => outcome === 'retry-later')).toHaveLength(1);
    } finally {
      await app.close();
      await redis.stop();
    }
  }, 60_000);
});

describe.each(ADAPTERS)('delivery console with the queue (%s)', (adapter) => {
  it('replays a failed job as an attempt of the delivery that queued it, by the console user', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: TOKEN },
          redis: process.env.REDIS_URL!,
          redisKeyPrefix: `console-queue-${randomUUID()}:`,
          deduplicationStore: 'redis',
          worker: { attempts: 1, backoffDelayMs: 20 },
          queue: true,
          console: { path: 'admin/webhooks', canAccess },
        }),
      ],
      providers: [RecordingHandlers],
    });
    const handlers = app.get(RecordingHandlers);
    const api = (path: string) =>
      request(app.getHttpServer()).get(`/admin/webhooks/api/${path}`).set(OPERATOR);
    try {
      handlers.failures.set('auth', 1);
      expect((await deliver(app, faceioFixture('AUTH', { facialId: `queued-${adapter}` }))).status).toBe(202);
      let job: { jobId: string; id: string } | undefined;
      await waitFor('the job in the failed set', async () => {
        job = (await api('failed')).body.queued[0];
        return job !== undefined;
      });
      const [delivery] = (await api(`deliveries?q=${job!.id}`)).body.deliveries;
      // Not a green "queued" row: it failed, and says which handler and why.
      expect(delivery).toMatchObject({
        outcome: 'queued',
        lastOutcome: 'failed',
        attempts: 1,
        message: expect.stringMatching(
          /^1 handler failed for faceio\.AUTH .*: RecordingHandlers\.onAuth: auth failed on purpose/,
        ),
      });
      expect((await api('summary')).body.alerts).toContain(
        'faceio: 1 event failed in a handler and waits for a replay.',
      );

      const replay = await request(app.getHttpServer())
        .post(`/admin/webhooks/api/replay-queued/${encodeURIComponent(job!.jobId)}`)
        .set({ ...ACTION, authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` });
      expect(replay.body).toEqual({ replayed: true });
      await waitFor('the handler to run again', () => handlers.of('auth').length === 1);
      const detail = (await api(`deliveries/${delivery.seq}`)).body;
      expect(detail.delivery.attempts).toBe(2);
      expect(detail.attempts[1]).toMatchObject({
        replayMode: 'queued',
        replayedBy: 'admin',
        outcome: 'queued',
      });
      expect((await api('deliveries')).body.total).toBe(1); // not a new delivery
      await waitFor('the alert to clear', async () => (await api('summary')).body.alerts.length === 0);
    } finally {
      await app.close();
    }
  }, 30_000);
});
