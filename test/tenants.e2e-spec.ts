import { randomUUID } from 'node:crypto';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import {
  FaceWebhooksModule,
  FaceWebhookTenants,
  OnFaceEvent,
  type AnyFaceEvent,
  type FaceioTenantSettings,
  type FaceWebhookTenantResolver,
  type FaceWebhooksModuleOptions,
} from 'nestjs-face-webhooks';
import {
  faceioFixture,
  faceSignFixture,
  idaasFixture,
  signFaceioRequest,
  signFaceSignRequest,
  signIdaasRequest,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { ADAPTERS, createTestApp, type AdapterName } from './support/create-app.js';
import { rawPost } from './support/raw-http.js';
import { waitFor } from './support/wait-for.js';

/** What the app owns: tenant -> FACEIO settings, as a table in its database would hold them. */
@Injectable()
class TenantTable {
  readonly rows = new Map<string, FaceioTenantSettings>([
    ['acme', { token: 'acme-token' }],
    ['zenith', { token: 'zenith-token', appId: 'zenith-app' }],
  ]);
  lookups: string[] = [];
  failing = false;
  delayMs = 0;

  async find(tenant: string): Promise<FaceioTenantSettings | null> {
    this.lookups.push(tenant);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failing) throw new Error('database unreachable');
    return this.rows.get(tenant) ?? null;
  }
}

/** The class form of a resolver: a provider of the app, injected with the app's own services. */
@Injectable()
class FaceioTenantResolver implements FaceWebhookTenantResolver<FaceioTenantSettings> {
  constructor(private readonly table: TenantTable) {}

  resolve(tenant: string) {
    return this.table.find(tenant);
  }
}

/** The app's own module that owns the table (its database module, in a real app). */
@Module({ providers: [TenantTable, FaceioTenantResolver], exports: [TenantTable, FaceioTenantResolver] })
class TenantStoreModule {}

@Injectable()
class TenantHandlers {
  readonly events: AnyFaceEvent[] = [];

  @OnFaceEvent('**')
  handle(event: AnyFaceEvent): void {
    this.events.push(event);
  }
}

type Signed = { headers: Record<string, string>; body: string };
const post = (app: INestApplication, path: string, signed: Signed) =>
  request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);
const faceio = (token: string, facialId = randomUUID()) =>
  signFaceioRequest({ token, body: faceioFixture('ENROLL', { facialId, appId: 'zenith-app' }) });

async function startApp(
  adapter: AdapterName,
  options: (table: TenantTable) => FaceWebhooksModuleOptions,
  extras: { queue?: boolean } = {},
) {
  const { app, logger } = await createTestApp({
    adapter,
    imports: [
      TenantStoreModule,
      FaceWebhooksModule.forRootAsync({
        imports: [TenantStoreModule],
        inject: [TenantTable],
        useFactory: options,
        ...extras,
      }),
    ],
    providers: [TenantHandlers],
  });
  return { app, logger, table: app.get(TenantTable), handlers: app.get(TenantHandlers) };
}

describe.each(ADAPTERS)('tenants (%s)', (adapter) => {
  let app: INestApplication;
  let table: TenantTable;
  let handlers: TenantHandlers;
  let logger: Awaited<ReturnType<typeof startApp>>['logger'];
  let port: number;

  beforeAll(async () => {
    ({ app, table, handlers, logger } = await startApp(adapter, (t) => ({
      faceio: { tenants: { resolve: (tenant) => t.find(tenant), cacheTtlMs: 200, timeoutMs: 300 } },
    })));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(() => app.close());
  beforeEach(() => {
    handlers.events.length = 0;
    table.lookups = [];
    table.failing = false;
    table.delayMs = 0;
    app.get(FaceWebhookTenants).forget('faceio');
  });

  it("accepts each tenant's delivery with that tenant's secret, and says the tenant in the event", async () => {
    expect((await post(app, '/webhooks/faceio/acme', faceio('acme-token'))).body).toEqual({ received: true });
    expect((await post(app, '/webhooks/faceio/zenith', faceio('zenith-token'))).status).toBe(200);
    expect(handlers.events.map((event) => [event.type, event.tenant])).toEqual([
      ['faceio.ENROLL', 'acme'],
      ['faceio.ENROLL', 'zenith'],
    ]);
  });

  it('refuses a delivery signed for another tenant with the 404 an unknown tenant gets, word for word', async () => {
    const crossTenant = await post(app, '/webhooks/faceio/zenith', faceio('acme-token'));
    const unknown = await post(app, '/webhooks/faceio/nobody', faceio('acme-token'));
    expect(crossTenant.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(crossTenant.body).toEqual({
      message: 'Cannot POST /webhooks/faceio/zenith',
      error: 'Not Found',
      statusCode: 404,
    });
    expect(unknown.body).toEqual({ ...crossTenant.body, message: 'Cannot POST /webhooks/faceio/nobody' });
    expect(handlers.events).toHaveLength(0);
    // The logs tell the two apart, and name the tenant (an unknown one at debug level).
    expect(logger.find('warn', 'Rejected faceio delivery for tenant zenith', 'token')).toHaveLength(1);
    expect(logger.find('debug', 'unknown tenant nobody')).toHaveLength(1);
  });

  it("applies a tenant's own settings besides its secret (zenith accepts only its appId)", async () => {
    const otherApp = signFaceioRequest({
      token: 'zenith-token',
      body: faceioFixture('ENROLL', { appId: 'someone-else' }),
    });
    expect((await post(app, '/webhooks/faceio/zenith', otherApp)).status).toBe(404);
    expect(logger.find('warn', 'tenant zenith', 'not an accepted application').length).toBeGreaterThan(0);
  });

  it("keeps two tenants' identical bodies apart: neither is the other's duplicate", async () => {
    const body = faceioFixture('ENROLL', { facialId: 'same-user', appId: 'zenith-app' });
    const forAcme = signFaceioRequest({ token: 'acme-token', body });
    const forZenith = signFaceioRequest({ token: 'zenith-token', body });
    expect((await post(app, '/webhooks/faceio/acme', forAcme)).body).toEqual({ received: true });
    expect((await post(app, '/webhooks/faceio/zenith', forZenith)).body).toEqual({ received: true });
    expect((await post(app, '/webhooks/faceio/acme', forAcme)).body).toEqual({
      received: true,
      duplicate: true,
    });
    expect(handlers.events.map((event) => event.tenant)).toEqual(['acme', 'zenith']);
  });

  it("rotates one tenant's secret: both tokens pass while it lists both, the old one stops after", async () => {
    table.rows.set('acme', { token: ['acme-token-2', 'acme-token'] });
    try {
      expect((await post(app, '/webhooks/faceio/acme', faceio('acme-token-2'))).status).toBe(200);
      expect((await post(app, '/webhooks/faceio/acme', faceio('acme-token'))).status).toBe(200);
      table.rows.set('acme', { token: 'acme-token-2' });
      // The cached settings live cacheTtlMs (200 ms here); then the lookup is asked again.
      await waitFor(
        'the old token to be refused',
        async () => (await post(app, '/webhooks/faceio/acme', faceio('acme-token'))).status === 404,
      );
      expect((await post(app, '/webhooks/faceio/acme', faceio('acme-token-2'))).status).toBe(200);
      // Another tenant is untouched by acme's rotation.
      expect((await post(app, '/webhooks/faceio/zenith', faceio('zenith-token'))).status).toBe(200);
    } finally {
      table.rows.set('acme', { token: 'acme-token' });
    }
  });

  it('answers 503 with Retry-After while the lookup throws, and accepts the retry once it works', async () => {
    table.failing = true;
    const signed = faceio('acme-token');
    const refused = await post(app, '/webhooks/faceio/acme', signed);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(JSON.stringify(refused.body)).not.toContain('database');
    expect(
      logger.find('error', 'Looking up faceio tenant acme failed', 'database unreachable'),
    ).not.toHaveLength(0);
    table.failing = false;
    expect((await post(app, '/webhooks/faceio/acme', signed)).status).toBe(200);
    expect(handlers.events).toHaveLength(1);
  });

  it('answers 503 when the lookup is slower than timeoutMs, without waiting for it', async () => {
    table.delayMs = 2_000;
    const started = Date.now();
    const res = await post(app, '/webhooks/faceio/acme', faceio('acme-token'));
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(handlers.events).toHaveLength(0);
  });

  it('keeps the answer of a lookup slower than timeoutMs when it comes, so the retry is served', async () => {
    table.delayMs = 450;
    const tenants = app.get(FaceWebhookTenants);
    const signed = faceio('acme-token');
    expect((await post(app, '/webhooks/faceio/acme', signed)).status).toBe(503);
    expect((await post(app, '/webhooks/faceio/nobody', signed)).status).toBe(503);
    await waitFor('the late answers to be cached', () => tenants.cachedTenants('faceio') === 2);
    table.delayMs = 0;
    expect((await post(app, '/webhooks/faceio/acme', signed)).status).toBe(200);
    expect((await post(app, '/webhooks/faceio/nobody', signed)).status).toBe(404);
    // A late answer to a lookup asked before forget() is not kept.
    table.delayMs = 450;
    tenants.forget('faceio');
    expect((await post(app, '/webhooks/faceio/zenith', faceio('zenith-token'))).status).toBe(503);
    tenants.forget('faceio', 'zenith');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tenants.cachedTenants('faceio')).toBe(0);
  });

  it('serves a tenant id of 128 characters, the longest allowed, with the default adapter settings', async () => {
    const longest = `t${'0123456789abcdef'.repeat(8).slice(1)}`;
    expect(longest).toHaveLength(128);
    table.rows.set(longest, { token: 'long-token' });
    const res = await post(app, `/webhooks/faceio/${longest}`, faceio('long-token'));
    expect([res.status, res.body]).toEqual([200, { received: true }]);
    expect(handlers.events.map((event) => event.tenant)).toEqual([longest]);
    // A wrong token gets the unknown tenant's 404; one character more is no tenant id at all: 404.
    expect((await post(app, `/webhooks/faceio/${longest}`, faceio('acme-token'))).status).toBe(404);
    expect((await post(app, `/webhooks/faceio/${longest}x`, faceio('long-token'))).status).toBe(404);
    expect(table.lookups).not.toContain(`${longest}x`);
  });

  it('shares one lookup among concurrent deliveries for a tenant', async () => {
    table.delayMs = 50;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(app, '/webhooks/faceio/acme', faceio('acme-token'))),
    );
    expect(responses.map((res) => res.status)).toEqual(Array(10).fill(200));
    expect(table.lookups).toEqual(['acme']);
  });

  it.each([
    ['a doubled segment', '/webhooks/faceio/acme/extra'],
    ['a trailing slash', '/webhooks/faceio/acme/'],
    ['an encoded slash', '/webhooks/faceio/ac%2Fme'],
    ['an encoded letter', '/webhooks/faceio/%61cme'],
    ['the route without a tenant, which a tenants-only provider does not serve', '/webhooks/faceio'],
    ['another case', '/webhooks/FACEIO/acme'],
  ])('answers %s with 404, asking no lookup', async (_name, path) => {
    const signed = faceio('acme-token');
    const res = await rawPost(port, path, { ...signed.headers, host: '127.0.0.1' }, signed.body);
    expect(res).toMatch(/^HTTP\/1\.1 404 /);
    expect(table.lookups).toEqual([]);
    expect(handlers.events).toHaveLength(0);
  });

  it("answers 503 and logs the problem when a tenant's settings do not check (a blank token)", async () => {
    table.rows.set('broken', { token: ' ' });
    const res = await post(app, '/webhooks/faceio/broken', faceio('acme-token'));
    expect(res.status).toBe(503);
    expect(logger.find('error', 'Settings of faceio tenant broken are refused', 'faceio.token')).toHaveLength(
      1,
    );
  });

  // Last: a second app takes over Nest's static logger, which the first app's assertions read.
  it('keeps memory bounded under a flood of made-up tenants: the cache holds at most maxCachedTenants', async () => {
    const {
      app: small,
      table: smallTable,
      logger: smallLogger,
    } = await startApp(adapter, (t) => ({
      faceio: { tenants: { resolve: (tenant) => t.find(tenant), maxCachedTenants: 50 } },
    }));
    try {
      const tenants = small.get(FaceWebhookTenants);
      const signed = faceio('acme-token');
      for (let round = 0; round < 10; round++) {
        const responses = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            post(small, `/webhooks/faceio/made-up-${round}-${i}`, signed),
          ),
        );
        expect(new Set(responses.map((res) => res.status))).toEqual(new Set([404]));
        expect(tenants.cachedTenants('faceio')).toBeLessThanOrEqual(50);
      }
      expect(smallTable.lookups).toHaveLength(1_000);
      // A warning for the first one, not one per delivery; each is a debug line.
      expect(smallLogger.find('warn', 'unknown tenant')).toHaveLength(1);
      expect(smallLogger.find('debug', 'Rejected faceio delivery for unknown tenant made-up-')).toHaveLength(
        1_000,
      );
      // A known tenant still works after the flood.
      expect((await post(small, '/webhooks/faceio/acme', signed)).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe.each(ADAPTERS)(
  'tenants next to a single account, class resolvers, other providers (%s)',
  (adapter) => {
    it('serves the route without a tenant with the provider token, and the tenant routes with a class resolver', async () => {
      const { app, handlers } = await startApp(adapter, () => ({
        faceio: { token: 'own-token', tenants: { resolve: FaceioTenantResolver } },
      }));
      try {
        expect((await post(app, '/webhooks/faceio', faceio('own-token'))).status).toBe(200);
        // The provider's own token is never a tenant's: a tenant route refuses it.
        expect((await post(app, '/webhooks/faceio/acme', faceio('own-token'))).status).toBe(404);
        expect((await post(app, '/webhooks/faceio/acme', faceio('acme-token'))).status).toBe(200);
        expect(handlers.events.map((event) => event.tenant)).toEqual([undefined, 'acme']);
      } finally {
        await app.close();
      }
    });

    it("refuses a FaceSign tenant whose secret is the provider's own or another tenant's, since FaceSign signs no URL", async () => {
      const { app, handlers, logger } = await startApp(adapter, () => ({
        facesign: {
          secret: 'whsec_own',
          tenants: {
            resolve: (tenant) =>
              ({
                alpha: { secret: 'whsec_alpha' },
                beta: { secret: ['whsec_beta', 'whsec_alpha'] },
                own: { secret: 'whsec_own' },
              })[tenant],
          },
        },
      }));
      try {
        const signedFor = (secret: string) =>
          signFaceSignRequest({ secret, body: faceSignFixture('session.status', { id: randomUUID() }) });
        expect((await post(app, '/webhooks/facesign/alpha', signedFor('whsec_alpha'))).status).toBe(200);
        // beta lists alpha's secret (say, copied by mistake): alpha's deliveries would pass as beta's.
        const shared = await post(app, '/webhooks/facesign/beta', signedFor('whsec_alpha'));
        expect(shared.status).toBe(503);
        expect((await post(app, '/webhooks/facesign/beta', signedFor('whsec_beta'))).status).toBe(503);
        expect((await post(app, '/webhooks/facesign/own', signedFor('whsec_own'))).status).toBe(503);
        expect(
          logger.find('error', 'facesign tenant beta are refused', 'also that of tenant alpha'),
        ).toHaveLength(1);
        expect(
          logger.find('error', 'facesign tenant own are refused', 'also that of the facesign options'),
        ).toHaveLength(1);
        expect(logger.lines.some((line) => line.message.includes('whsec_'))).toBe(false);
        // alpha and the route without a tenant keep working.
        expect((await post(app, '/webhooks/facesign/alpha', signedFor('whsec_alpha'))).status).toBe(200);
        expect((await post(app, '/webhooks/facesign', signedFor('whsec_own'))).status).toBe(200);
        expect(handlers.events.map((event) => event.tenant)).toEqual(['alpha', 'alpha', undefined]);
      } finally {
        await app.close();
      }
    });

    it("applies a FaceSign tenant's tolerance and an IDaaS tenant's publicBaseUrl", async () => {
      const { app, handlers } = await startApp(adapter, () => ({
        facesign: {
          tenants: {
            resolve: (tenant) =>
              ({
                strict: { secret: 'whsec_strict', toleranceSeconds: 60 },
                relaxed: { secret: 'whsec_relaxed' },
              })[tenant],
          },
        },
        idaas: {
          tenants: {
            resolve: (tenant) =>
              tenant === 'behind-proxy'
                ? { secret: 'idaas-proxy', publicBaseUrl: 'https://hooks.example.com' }
                : tenant === 'direct'
                  ? { secret: 'idaas-direct' }
                  : null,
          },
        },
      }));
      try {
        const twoMinutesAgo = Math.floor(Date.now() / 1000) - 120;
        const signedFor = (secret: string) =>
          signFaceSignRequest({ secret, body: faceSignFixture('session.status'), timestamp: twoMinutesAgo });
        expect((await post(app, '/webhooks/facesign/strict', signedFor('whsec_strict'))).status).toBe(404);
        expect((await post(app, '/webhooks/facesign/relaxed', signedFor('whsec_relaxed'))).status).toBe(200);

        const proxied = signIdaasRequest({
          secret: 'idaas-proxy',
          url: 'https://hooks.example.com/webhooks/idaas/behind-proxy',
          body: idaasFixture('user.created'),
        });
        expect((await post(app, '/webhooks/idaas/behind-proxy', proxied)).status).toBe(200);
        // The same signature for the other tenant's URL, or with the other tenant's secret, is refused.
        const elsewhere = signIdaasRequest({
          secret: 'idaas-proxy',
          url: 'https://hooks.example.com/webhooks/idaas/direct',
          body: idaasFixture('user.created'),
        });
        expect((await post(app, '/webhooks/idaas/direct', elsewhere)).status).toBe(404);
        expect(handlers.events.map((event) => [event.type, event.tenant])).toEqual([
          ['facesign.session.status', 'relaxed'],
          ['idaas.user.created', 'behind-proxy'],
        ]);
      } finally {
        await app.close();
      }
    });

    it('queues a tenant delivery with its tenant: the worker hands the handler the same event', async () => {
      const { app, handlers } = await startApp(
        adapter,
        (t) => ({
          faceio: { tenants: { resolve: (tenant) => t.find(tenant) } },
          redis: process.env.REDIS_URL!,
          redisKeyPrefix: `tenants-${randomUUID()}:`,
          deduplicationStore: 'redis',
        }),
        { queue: true },
      );
      try {
        const signed = faceio('acme-token');
        expect((await post(app, '/webhooks/faceio/acme', signed)).status).toBe(202);
        await waitFor('the queued tenant event', () => handlers.events.length === 1);
        expect(handlers.events[0]).toMatchObject({ type: 'faceio.ENROLL', tenant: 'acme' });
        expect((await post(app, '/webhooks/faceio/acme', signed)).body).toEqual({
          received: true,
          duplicate: true,
        });
      } finally {
        await app.close();
      }
    });
  },
);
