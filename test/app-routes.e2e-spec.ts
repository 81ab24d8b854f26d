import { randomUUID } from 'node:crypto';
import {
  Body,
  type CanActivate,
  Controller,
  Get,
  HttpCode,
  Injectable,
  type INestApplication,
  Module,
  Param,
  Post,
  Put,
  Req,
  Version,
  VersioningType,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD, RouterModule } from '@nestjs/core';
import { FastifyAdapter, RouteConfig } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  FaceWebhookEvent,
  FaceWebhookPipeline,
  FaceWebhookRoute,
  FaceWebhooksConfigError,
  FaceWebhooksModule,
  isFaceWebhookRoute,
  type FaceEventOf,
  type FaceWebhooksModuleOptions,
  type WebhookAck,
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
import { CaptureLogger } from './support/capture-logger.js';
import { rawPost } from './support/raw-http.js';
import { ADAPTERS, createTestApp, listenOnLoopback, ready, type AdapterName } from './support/create-app.js';
import { FaceioAppRouteController } from './support/faceio-app-route.js';
import { RecordingHandlers } from './support/recording-handlers.js';
import { redisConnection } from './support/redis-targets.js';
import { waitFor } from './support/wait-for.js';

const FACEIO_TOKEN = 'app-route-faceio-token';
const ACME_TOKEN = 'app-route-acme-token';
const FACESIGN_SECRET = 'whsec_app_route_secret';
const IDAAS_SECRET = 'app-route-idaas-secret';

const MODULE_OPTIONS: FaceWebhooksModuleOptions = {
  faceio: {
    token: FACEIO_TOKEN,
    tenants: { resolve: (tenant) => (tenant === 'acme' ? { token: ACME_TOKEN } : null) },
  },
  facesign: { secret: FACESIGN_SECRET },
  idaas: { secret: IDAAS_SECRET },
  bodyLimit: 4096,
};

/** Routes an app keeps at URLs its providers already know, each doing something of its own. */
@Controller()
class LegacyHooksController {
  /** What the route handlers themselves saw, besides the @OnFaceEvent handlers. */
  readonly seen: string[] = [];

  constructor(private readonly pipeline: FaceWebhookPipeline) {}

  @Post('legacy/faceio-hook')
  @FaceWebhookRoute('faceio')
  faceio(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): Promise<WebhookAck> {
    this.seen.push(`faceio ${event.type} ${event.data.facialId}`);
    return this.pipeline.process(event);
  }

  @Post('v2/partners/facesign/events')
  @HttpCode(204)
  @FaceWebhookRoute('facesign')
  async facesign(@FaceWebhookEvent() event: FaceEventOf<'facesign.**'>): Promise<void> {
    this.seen.push(`facesign ${event.type}`);
    await this.pipeline.process(event);
  }

  @Put('legacy/idaas/:source/notify')
  @FaceWebhookRoute('idaas')
  async idaas(
    @FaceWebhookEvent() event: FaceEventOf<'idaas.**'>,
    @Param('source') source: string,
  ): Promise<WebhookAck & { source: string }> {
    this.seen.push(`idaas ${event.type}`);
    return { ...(await this.pipeline.process(event)), source };
  }

  @Post('legacy/tenants/:tenant/faceio')
  @FaceWebhookRoute('faceio', { tenantParam: 'tenant' })
  tenantFaceio(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): Promise<WebhookAck> {
    this.seen.push(`tenant ${event.tenant}`);
    return this.pipeline.process(event);
  }

  /** Validates without the pipeline: the handler takes the event itself. */
  @Post('legacy/faceio-peek')
  @FaceWebhookRoute('faceio')
  peek(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): { type: string } {
    return { type: event.type };
  }

  /** Hands the pipeline something that is not the route's event. */
  @Post('legacy/faceio-forged-handoff')
  @FaceWebhookRoute('faceio')
  forgedHandoff(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): Promise<WebhookAck> {
    return this.pipeline.process({ ...event, id: 'made-up' });
  }

  /** An ordinary route of the app, without the decorator. */
  @Post('legacy/plain')
  @HttpCode(200)
  plain(@Body() body: unknown): { isParsed: boolean; body: unknown } {
    return { isParsed: !Buffer.isBuffer(body), body };
  }
}

/** An app-wide guard that wants a session everywhere except on webhook routes. */
@Injectable()
class SessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (isFaceWebhookRoute(context)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    return request.headers['x-session'] === 'valid';
  }
}

@Module({ providers: [{ provide: APP_GUARD, useClass: SessionGuard }] })
class SessionGuardModule {}

async function startApp(adapter: AdapterName, options: FaceWebhooksModuleOptions = MODULE_OPTIONS) {
  const { app, logger } = await createTestApp({
    adapter,
    imports: [FaceWebhooksModule.forRoot(options), SessionGuardModule],
    providers: [RecordingHandlers],
    controllers: [LegacyHooksController],
  });
  const base = await listenOnLoopback(app);
  return { app, logger, base, handlers: app.get(RecordingHandlers), routes: app.get(LegacyHooksController) };
}

describe.each(ADAPTERS)('@FaceWebhookRoute on routes of the app (%s)', (adapter) => {
  let app: INestApplication;
  let base: string;
  let handlers: RecordingHandlers;
  let routes: LegacyHooksController;
  let logger: CaptureLogger;

  beforeAll(async () => ({ app, base, handlers, routes, logger } = await startApp(adapter)));
  afterAll(() => app.close());
  beforeEach(() => {
    handlers.reset();
    routes.seen.length = 0;
  });

  const server = () => app.getHttpServer();
  const faceio = (path: string, body: object | string, token = FACEIO_TOKEN) => {
    const signed = signFaceioRequest({ token, body });
    return request(server()).post(path).set(signed.headers).send(signed.body);
  };
  const enroll = (facialId: string = randomUUID()) => faceioFixture('ENROLL', { facialId });
  const facesign = (body: object | string, secret = FACESIGN_SECRET, timestamp?: number) => {
    const signed = signFaceSignRequest({ secret, body, timestamp });
    return request(server()).post('/v2/partners/facesign/events').set(signed.headers).send(signed.body);
  };
  const idaasPath = '/legacy/idaas/crm/notify';
  const idaasSigned = (secret = IDAAS_SECRET, body: object = idaasFixture('face.biometric.created')) =>
    signIdaasRequest({ secret, url: `${base}${idaasPath}`, method: 'PUT', body });

  describe('FACEIO at /legacy/faceio-hook', () => {
    it('reaches the route with the typed event, then the @OnFaceEvent handlers', async () => {
      const res = await faceio('/legacy/faceio-hook', enroll('f-1'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true });
      expect(routes.seen).toEqual(['faceio faceio.ENROLL f-1']);
      expect(handlers.of('enroll')).toHaveLength(1);
      expect(handlers.of('enroll')[0]).toMatchObject({ provider: 'faceio', type: 'faceio.ENROLL' });
    });

    it('answers a repeat as a duplicate and runs the handlers once', async () => {
      const body = enroll();
      expect((await faceio('/legacy/faceio-hook', body)).status).toBe(200);
      const again = await faceio('/legacy/faceio-hook', body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true });
      expect(handlers.of('enroll')).toHaveLength(1);
    });

    it('is the same event as on the module route: a repeat there is a duplicate too', async () => {
      const body = enroll();
      expect((await faceio('/legacy/faceio-hook', body)).status).toBe(200);
      expect((await faceio('/webhooks/faceio', body)).body).toEqual({ received: true, duplicate: true });
      expect(handlers.of('enroll')).toHaveLength(1);
    });

    it('refuses a wrong token with 401, before the route handler runs', async () => {
      const res = await faceio('/legacy/faceio-hook', enroll(), 'not-the-token');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(routes.seen).toEqual([]);
      expect(handlers.calls).toHaveLength(0);
    });

    it('refuses a request without the token header with 401', async () => {
      const res = await request(server()).post('/legacy/faceio-hook').send(enroll());
      expect(res.status).toBe(401);
      expect(routes.seen).toEqual([]);
    });

    it('refuses an invalid body with 400 naming the field', async () => {
      const res = await faceio('/legacy/faceio-hook', { ...enroll(), facialId: '' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('facialId');
      expect(routes.seen).toEqual([]);
      expect(handlers.calls).toHaveLength(0);
    });

    it('refuses malformed JSON and a forbidden key with 400', async () => {
      const malformed = await faceio('/legacy/faceio-hook', '{"eventName": "ENROLL",');
      expect(malformed.status).toBe(400);
      expect(JSON.stringify(malformed.body.message)).toContain('not valid JSON');
      const polluted = await faceio(
        '/legacy/faceio-hook',
        '{"__proto__":{"polluted":true},"eventName":"AUTH"}',
      );
      expect(polluted.status).toBe(400);
      expect(JSON.stringify(polluted.body.message)).toContain('forbidden key');
      expect(routes.seen).toEqual([]);
    });

    it('refuses a body over the limit with 413', async () => {
      const res = await faceio('/legacy/faceio-hook', { ...enroll(), padding: 'x'.repeat(5000) });
      expect(res.status).toBe(413);
      expect(res.body.message).toBe('Request body is larger than the 4096-byte limit');
    });

    it('answers 503 with Retry-After while the same event is being handled', async () => {
      handlers.enrollDelayMs = 300;
      const body = enroll();
      const first = faceio('/legacy/faceio-hook', body).then((res) => res);
      await waitFor('the first copy to be in flight', () => routes.seen.length === 1);
      const second = await faceio('/legacy/faceio-hook', body);
      expect(second.status).toBe(503);
      expect(second.headers['retry-after']).toBe('5');
      expect((await first).status).toBe(200);
      expect(handlers.of('enroll')).toHaveLength(1);
    });

    it('answers 500 when a handler fails, and the retry runs only the failed one', async () => {
      handlers.failures.set('enroll', 1);
      const body = enroll();
      const failed = await faceio('/legacy/faceio-hook', body);
      expect(failed.status).toBe(500);
      expect(handlers.of('faceio.*')).toHaveLength(1);
      const retried = await faceio('/legacy/faceio-hook', body);
      expect(retried.status).toBe(200);
      expect(handlers.of('enroll')).toHaveLength(1);
      expect(handlers.of('faceio.*')).toHaveLength(1);
    });

    it('lets a route take the event without the pipeline', async () => {
      const res = await faceio('/legacy/faceio-peek', enroll());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ type: 'faceio.ENROLL' });
      expect(handlers.calls).toHaveLength(0);
    });

    it('never settles an event the pipe did not make', async () => {
      const res = await faceio('/legacy/faceio-forged-handoff', enroll());
      expect(res.status).toBe(500);
      expect(handlers.calls).toHaveLength(0);
    });
  });

  describe('FaceSign at /v2/partners/facesign/events', () => {
    it("reaches the route and the handlers, answering with the route's own @HttpCode", async () => {
      const res = await facesign(faceSignFixture('media.user_photo'));
      expect(res.status).toBe(204);
      expect(routes.seen).toEqual(['facesign facesign.media.user_photo']);
      expect(handlers.of('**').map((event) => event.type)).toEqual(['facesign.media.user_photo']);
    });

    it('refuses a body changed after signing with 401', async () => {
      const signed = signFaceSignRequest({
        secret: FACESIGN_SECRET,
        body: faceSignFixture('media.user_photo'),
      });
      const res = await request(server())
        .post('/v2/partners/facesign/events')
        .set(signed.headers)
        .send(signed.body.replace('"media.user_photo"', '"media.user_video"'));
      expect(res.status).toBe(401);
      expect(routes.seen).toEqual([]);
    });

    it('refuses a wrong secret and a stale timestamp with 401', async () => {
      const body = faceSignFixture('media.user_photo');
      expect((await facesign(body, 'whsec_someone_else')).status).toBe(401);
      const stale = Math.floor(Date.now() / 1000) - 3600;
      expect((await facesign(body, FACESIGN_SECRET, stale)).status).toBe(401);
      expect(routes.seen).toEqual([]);
    });

    it('refuses a body that fails validation with 400 naming the field', async () => {
      const res = await facesign({ ...faceSignFixture('media.user_photo'), id: 42 });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('id');
    });
  });

  describe('IDaaS at PUT /legacy/idaas/:source/notify', () => {
    it("verifies the signature over the route's own URL and method", async () => {
      const signed = idaasSigned();
      const res = await request(server()).put(idaasPath).set(signed.headers).send(signed.body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true, source: 'crm' });
      expect(routes.seen).toEqual(['idaas idaas.face.biometric.created']);
      expect(handlers.of('**')).toHaveLength(1);
    });

    it('refuses a wrong secret, a tampered body and another path with 401', async () => {
      const wrong = idaasSigned('someone-else');
      expect((await request(server()).put(idaasPath).set(wrong.headers).send(wrong.body)).status).toBe(401);
      const signed = idaasSigned();
      const tampered = signed.body.replace('john', 'mallory');
      expect((await request(server()).put(idaasPath).set(signed.headers).send(tampered)).status).toBe(401);
      // Signed for /legacy/idaas/crm/notify, sent to another :source.
      const moved = await request(server())
        .put('/legacy/idaas/erp/notify')
        .set(signed.headers)
        .send(signed.body);
      expect(moved.status).toBe(401);
      expect(routes.seen).toEqual([]);
    });
  });

  describe('a tenant from the route', () => {
    it("authenticates with the tenant's own settings", async () => {
      const res = await faceio('/legacy/tenants/acme/faceio', enroll(), ACME_TOKEN);
      expect(res.status).toBe(200);
      expect(routes.seen).toEqual(['tenant acme']);
      expect(handlers.of('enroll')[0]!.tenant).toBe('acme');
    });

    it('answers an unknown tenant and a wrong token with the same 404', async () => {
      const unknown = await faceio('/legacy/tenants/nobody/faceio', enroll(), ACME_TOKEN);
      const wrongToken = await faceio('/legacy/tenants/acme/faceio', enroll(), FACEIO_TOKEN);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({
        statusCode: 404,
        message: 'Cannot POST /legacy/tenants/nobody/faceio',
        error: 'Not Found',
      });
      expect(wrongToken.status).toBe(404);
      expect(wrongToken.body.message).toBe('Cannot POST /legacy/tenants/acme/faceio');
      expect(routes.seen).toEqual([]);
    });

    it("says at startup when Fastify's maxParamLength refuses long tenant ids", () => {
      const warned = logger.find(
        'warn',
        'Tenant ids longer than 100 characters get 414',
        'maxParamLength: 128',
      );
      expect(warned).toHaveLength(adapter === 'fastify' ? 1 : 0);
      if (adapter === 'fastify') expect(warned[0]).toContain('/legacy/tenants/:tenant/faceio');
    });

    it('refuses a malformed tenant id without looking it up', async () => {
      const res = await faceio('/legacy/tenants/a%20b/faceio', enroll(), ACME_TOKEN);
      expect(res.status).toBe(404);
      expect(routes.seen).toEqual([]);
    });
  });

  it('leaves a route without the decorator alone: Nest parses its JSON, the app guard applies', async () => {
    expect((await request(server()).post('/legacy/plain').send({ name: 'Ada' })).status).toBe(403);
    const res = await request(server()).post('/legacy/plain').set('x-session', 'valid').send({ name: 'Ada' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ isParsed: true, body: { name: 'Ada' } });
  });

  it('reads the body of a path the adapter routes to the decorated route (trailing slash)', async () => {
    const res = await faceio('/legacy/faceio-hook/', enroll());
    // Express routes it (not strict), Fastify does not (no ignoreTrailingSlash): never a 401 or 500.
    expect(res.status).toBe(adapter === 'express' ? 200 : 404);
  });

  describe('spellings of the route as sent on the wire', () => {
    const port = () => Number(new URL(base).port);
    const send = async (target: string, token?: string) => {
      const body = JSON.stringify(enroll());
      const headers: Record<string, string> = { host: 'localhost', 'content-type': 'application/json' };
      if (token !== undefined) headers['www-authenticate'] = `Bearer ${token}`;
      const answer = await rawPost(port(), target, headers, body);
      return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
    };

    it('gives a fragment or a query the answer of the route itself on both adapters', async () => {
      const errorsBefore = logger.find('error').length;
      const targets = ['/legacy/faceio-hook#x', '/legacy/faceio-hook?a=1', '/legacy/faceio-hook?a=1#x'];
      const answers = [];
      for (const target of targets) {
        answers.push([
          target,
          await send(target),
          await send(target, 'not-the-token'),
          await send(target, FACEIO_TOKEN),
        ]);
      }
      expect(answers).toEqual(targets.map((target) => [target, 401, 401, 200]));
      expect(logger.find('error').length).toBe(errorsBefore);
    });

    it('never answers another spelling with a 5xx', async () => {
      const errorsBefore = logger.find('error').length;
      const targets = [
        '/legacy/faceio-hook/#x',
        '/legacy/faceio-hook/?a=1',
        '//legacy/faceio-hook',
        '/legacy//faceio-hook#x',
        '/legacy/faceio%2Dhook',
        '/legacy/faceio%2dhook#x',
        '/LEGACY/faceio-hook#x',
        '/Legacy/Faceio-Hook?x=1',
        '/legacy\\faceio-hook',
        '/legacy\\faceio-hook#x',
        '/legacy/faceio-hook\xa0',
        '/legacy/faceio-hook%00#x',
        '/legacy/faceio-hook;x',
        'http://localhost/legacy/faceio-hook#x',
        'http://localhost/LEGACY/faceio-hook/?a',
      ];
      const answers: Record<string, number> = {};
      for (const target of targets) answers[target] = await send(target);
      // What the adapter's router makes of a spelling decides between these; never a 5xx.
      expect(Object.entries(answers).filter(([, status]) => ![400, 401, 404].includes(status))).toEqual([]);
      expect(routes.seen).toEqual([]);
      expect(logger.find('error').length).toBe(errorsBefore);
    });
  });
});

/** Routes whose paths Nest makes up: global prefix, URI version, `RouterModule` path. */
@Controller()
class PrefixedHookController {
  readonly seen: string[] = [];

  @Post('prefixed/faceio')
  @FaceWebhookRoute('faceio')
  receive(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): { type: string } {
    this.seen.push(`prefixed ${event.type}`);
    return { type: event.type };
  }

  /** Fastify hands the app's own route config to the request, next to the library's entry. */
  @Post('configured/faceio')
  @RouteConfig({ owner: 'app' })
  @FaceWebhookRoute('faceio')
  configured(
    @FaceWebhookEvent() event: FaceEventOf<'faceio.*'>,
    @Req() req: { routeOptions?: { config?: Record<string, unknown> } },
  ): { type: string; owner?: unknown } {
    return { type: event.type, owner: req.routeOptions?.config?.owner };
  }
}

@Controller({ path: 'versioned', version: '2' })
class VersionedHookController {
  @Post('faceio')
  @FaceWebhookRoute('faceio')
  receive(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): { type: string } {
    return { type: event.type };
  }
}

@Controller('faceio')
class PartnerHookController {
  @Version('1')
  @Post(':tenant')
  @FaceWebhookRoute('faceio', { tenantParam: 'tenant' })
  receive(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): { tenant?: string } {
    return { tenant: event.tenant };
  }
}

@Module({ controllers: [PartnerHookController] })
class PartnersModule {}

describe.each(ADAPTERS)('@FaceWebhookRoute at the path Nest serves it (%s)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot(MODULE_OPTIONS),
        PartnersModule,
        RouterModule.register([{ path: 'partners', module: PartnersModule }]),
      ],
      controllers: [PrefixedHookController, VersionedHookController],
      globalPrefix: 'api',
      configure: (created) => created.enableVersioning({ type: VersioningType.URI }),
    }));
  });
  afterAll(() => app.close());

  const faceio = (path: string, token = FACEIO_TOKEN) => {
    const signed = signFaceioRequest({ token, body: faceioFixture('ENROLL', { facialId: randomUUID() }) });
    return request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);
  };

  it('with the global prefix', async () => {
    const res = await faceio('/api/prefixed/faceio');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 'faceio.ENROLL' });
    expect((await faceio('/api/prefixed/faceio', 'wrong-token')).status).toBe(401);
  });

  it('with a URI version', async () => {
    const res = await faceio('/api/v2/versioned/faceio');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 'faceio.ENROLL' });
    expect((await faceio('/api/v2/versioned/faceio', 'wrong-token')).status).toBe(401);
  });

  it('under a RouterModule path, with a version and a tenant parameter', async () => {
    const res = await faceio('/api/v1/partners/faceio/acme', ACME_TOKEN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tenant: 'acme' });
    expect((await faceio('/api/v1/partners/faceio/acme', FACEIO_TOKEN)).status).toBe(404);
  });

  it('in another case only where the adapter routes it (Express ignores case, Fastify does not)', async () => {
    const { seen } = app.get(PrefixedHookController);
    seen.length = 0;
    const res = await faceio('/API/Prefixed/FACEIO');
    expect(res.status).toBe(adapter === 'express' ? 200 : 404);
    expect(seen).toEqual(adapter === 'express' ? ['prefixed faceio.ENROLL'] : []);
  });

  it("keeps the app's own Fastify route config", async () => {
    const res = await faceio('/api/configured/faceio');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      adapter === 'fastify' ? { type: 'faceio.ENROLL', owner: 'app' } : { type: 'faceio.ENROLL' },
    );
  });
});

describe.each(ADAPTERS)("@FaceWebhookRoute with Nest's deferred route registration (%s)", (adapter) => {
  // Nest resolves every route first (for the conflict policy, and the specificity order on
  // Express), then registers them: the handlers then carry no `Class.method` name.
  it('finds the routes Nest registers once it has resolved them all', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FaceWebhooksModule.forRoot(MODULE_OPTIONS)],
      controllers: [LegacyHooksController],
    }).compile();
    const options = {
      logger: new CaptureLogger(),
      routeResolutionStrategy: 'specificity' as const,
      routeConflictPolicy: { duplicate: 'error' as const },
    };
    const app =
      adapter === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter(), options)
        : moduleRef.createNestApplication(options);
    try {
      await app.init();
      await ready(app);
      const signed = signFaceioRequest({
        token: ACME_TOKEN,
        body: faceioFixture('ENROLL', { facialId: 'd-1' }),
      });
      const res = await request(app.getHttpServer())
        .post('/legacy/tenants/acme/faceio')
        .set(signed.headers)
        .send(signed.body);
      expect(res.status).toBe(200);
      expect(app.get(LegacyHooksController).seen).toEqual(['tenant acme']);
    } finally {
      await app.close();
    }
  });
});

describe.each(ADAPTERS)('@FaceWebhookRoute with a queue (%s)', (adapter) => {
  it('answers 202 when the pipeline queued the event, and a worker runs the handlers', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: FACEIO_TOKEN },
          redis: redisConnection('redis'),
          redisKeyPrefix: `app-route-${randomUUID()}:`,
          deduplicationStore: 'redis',
          queue: true,
          worker: { attempts: 2, backoffDelayMs: 20 },
        }),
      ],
      providers: [RecordingHandlers],
      controllers: [FaceioAppRouteController],
    });
    const handlers = app.get(RecordingHandlers);
    try {
      const body = faceioFixture('ENROLL', { facialId: 'q-1' });
      const signed = signFaceioRequest({ token: FACEIO_TOKEN, body });
      const res = await request(app.getHttpServer())
        .post('/legacy/faceio-hook')
        .set(signed.headers)
        .send(signed.body);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ received: true, queued: true });
      await waitFor('the queued event to be handled', () => handlers.of('enroll').length === 1);
      const again = await request(app.getHttpServer())
        .post('/legacy/faceio-hook')
        .set(signed.headers)
        .send(signed.body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true });
    } finally {
      await app.close();
    }
  });
});

describe.each(ADAPTERS)('@FaceWebhookRoute mistakes stop the app at startup (%s)', (adapter) => {
  const start = (controller: new (...args: never[]) => unknown, options: FaceWebhooksModuleOptions) =>
    createTestApp({ adapter, imports: [FaceWebhooksModule.forRoot(options)], controllers: [controller] });

  it('a provider that is not enabled', async () => {
    @Controller()
    class FaceSignHook {
      @Post('hook')
      @FaceWebhookRoute('facesign')
      receive(): void {}
    }
    await expect(start(FaceSignHook, { faceio: { token: FACEIO_TOKEN } })).rejects.toThrow(
      "FaceSignHook.receive: @FaceWebhookRoute('facesign') needs facesign enabled in FaceWebhooksModule",
    );
  });

  it('a route that takes no body', async () => {
    @Controller()
    class GetHook {
      @Get('hook')
      @FaceWebhookRoute('faceio')
      receive(): void {}
    }
    await expect(start(GetHook, { faceio: { token: FACEIO_TOKEN } })).rejects.toThrow(
      "GetHook.receive: @FaceWebhookRoute('faceio') needs a @Post(), @Put() or @Patch() route",
    );
  });

  it('@FaceWebhookEvent() without @FaceWebhookRoute()', async () => {
    @Controller()
    class Undeclared {
      @Post('hook')
      receive(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): string {
        return event.id;
      }
    }
    await expect(start(Undeclared, { faceio: { token: FACEIO_TOKEN } })).rejects.toThrow(
      'Undeclared.receive takes @FaceWebhookEvent() but has no @FaceWebhookRoute()',
    );
  });

  it('a tenantParam the path does not have, or a provider without tenants', async () => {
    @Controller()
    class WrongParam {
      @Post('hooks/:account')
      @FaceWebhookRoute('faceio', { tenantParam: 'tenant' })
      receive(): void {}
    }
    const withTenants = { faceio: { tenants: { resolve: () => null } } };
    await expect(start(WrongParam, withTenants)).rejects.toThrow("tenantParam 'tenant' is not a parameter");
    await expect(start(WrongParam, { faceio: { token: FACEIO_TOKEN } })).rejects.toThrow(
      FaceWebhooksConfigError,
    );
  });
});
