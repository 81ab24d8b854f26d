import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Post, UseGuards, type INestApplication } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { FaceWebhookRoute, FaceWebhooksModule, type FaceWebhooksModuleOptions } from 'nestjs-face-webhooks';
import {
  faceioFixture,
  faceSignFixture,
  signFaceioRequest,
  signFaceSignRequest,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { ADAPTERS, createTestApp, type AdapterName } from './support/create-app.js';
import { FaceioAppRouteController } from './support/faceio-app-route.js';
import { RecordingHandlers } from './support/recording-handlers.js';
import { waitFor } from './support/wait-for.js';

// Spans collected with an in-memory exporter: the tree an operator sees in their tracing tool.
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const TOKEN = 'tracing-token';
const FACESIGN_SECRET = 'whsec_tracing';

/** What HTTP instrumentation does for an Express app: a SERVER span around the request. */
function httpServerSpan(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const span = trace.getTracer('test-http').startSpan(`${req.method} ${req.url}`, { kind: SpanKind.SERVER });
  res.once('finish', () => span.end());
  const active = trace.setSpan(context.active(), span);
  context.bind(active, req);
  context.with(active, next);
}

async function start(adapter: AdapterName, options: FaceWebhooksModuleOptions = {}, queue = false) {
  const { app } = await createTestApp({
    adapter,
    imports: [
      FaceWebhooksModule.forRoot({
        faceio: { token: TOKEN },
        facesign: { secret: FACESIGN_SECRET },
        ...options,
        ...(queue ? { queue: true } : {}),
      }),
    ],
    providers: [RecordingHandlers],
    configure: (created) => {
      if (adapter === 'express') created.use(httpServerSpan);
    },
  });
  return { app, handlers: app.get(RecordingHandlers) };
}

const named = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const post = (
  app: INestApplication,
  path: string,
  signed: { headers: Record<string, string>; body: string },
) => request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);

describe.each(ADAPTERS)('traces (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: RecordingHandlers;
  beforeAll(async () => ({ app, handlers } = await start(adapter)));
  afterAll(() => app.close());
  beforeEach(() => {
    exporter.reset();
    handlers.reset();
  });

  it('one delivery span with provider, type, id and outcome, and one child span per handler', async () => {
    const body = faceioFixture('ENROLL', { facialId: `trace-${adapter}` });
    expect((await post(app, '/webhooks/faceio', signFaceioRequest({ token: TOKEN, body }))).status).toBe(200);

    const [delivery] = named('face_webhooks.delivery');
    expect(delivery!.attributes).toMatchObject({
      'face_webhooks.provider': 'faceio',
      'face_webhooks.event.type': 'faceio.ENROLL',
      'face_webhooks.event.id': expect.stringMatching(/^[0-9a-f]{64}$/),
      'face_webhooks.outcome': 'accepted',
    });
    const handlerSpans = named('face_webhooks.handler');
    expect(handlerSpans.map((span) => span.attributes['face_webhooks.handler']).sort()).toEqual([
      'RecordingHandlers.onAnyFaceio',
      'RecordingHandlers.onEnroll',
      'RecordingHandlers.onEverything',
    ]);
    for (const span of handlerSpans) {
      expect(parentOf(span)).toBe(idOf(delivery!));
      expect(span.spanContext().traceId).toBe(delivery!.spanContext().traceId);
    }
    if (adapter === 'express') {
      // A child of the HTTP server span when the app has HTTP instrumentation.
      const [server] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
      expect(parentOf(delivery!)).toBe(idOf(server!));
    }
  });

  it('a refused delivery: outcome rejected with its reason, no handler span, nothing secret', async () => {
    const signed = signFaceSignRequest({ secret: 'whsec_wrong', body: faceSignFixture('session.status') });
    expect((await post(app, '/webhooks/facesign', signed)).status).toBe(401);
    const [delivery] = named('face_webhooks.delivery');
    expect(delivery!.attributes).toEqual({
      'face_webhooks.provider': 'facesign',
      'face_webhooks.outcome': 'rejected',
      'face_webhooks.reason': 'signature_mismatch',
    });
    expect(named('face_webhooks.handler')).toEqual([]);
  });

  it('a failing handler: its span has the error, the delivery is failed', async () => {
    handlers.failures.set('auth', 1);
    const body = faceioFixture('AUTH', { facialId: `trace-fail-${adapter}` });
    expect((await post(app, '/webhooks/faceio', signFaceioRequest({ token: TOKEN, body }))).status).toBe(500);
    const failed = named('face_webhooks.handler').find(
      (span) => span.attributes['face_webhooks.handler'] === 'RecordingHandlers.onAuth',
    )!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.events.map((event) => event.name)).toContain('exception');
    expect(failed.attributes['face_webhooks.outcome']).toBe('failed');
    expect(named('face_webhooks.delivery')[0]!.attributes['face_webhooks.outcome']).toBe('failed');
  });
});

/** A route whose own guard, after the library's, says no to everyone. */
@Controller()
class DeniedHookController {
  @Post('legacy/denied')
  @UseGuards({ canActivate: () => false })
  @FaceWebhookRoute('faceio')
  receive(): void {}
}

describe.each(ADAPTERS)('traces of a @FaceWebhookRoute of the app (%s)', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN } })],
      providers: [RecordingHandlers],
      controllers: [FaceioAppRouteController, DeniedHookController],
    }));
  });
  afterAll(() => app.close());
  beforeEach(() => exporter.reset());

  it('one delivery span per request, as on the module route, with the handlers as children', async () => {
    const body = faceioFixture('ENROLL', { facialId: `app-route-trace-${adapter}` });
    const signed = signFaceioRequest({ token: TOKEN, body });
    expect((await post(app, '/legacy/faceio-hook', signed)).status).toBe(200);
    const [delivery] = named('face_webhooks.delivery');
    expect(delivery!.attributes).toMatchObject({
      'face_webhooks.provider': 'faceio',
      'face_webhooks.event.type': 'faceio.ENROLL',
      'face_webhooks.outcome': 'accepted',
    });
    const handlerSpans = named('face_webhooks.handler');
    expect(handlerSpans).toHaveLength(3);
    for (const span of handlerSpans) expect(parentOf(span)).toBe(idOf(delivery!));

    exporter.reset();
    expect((await post(app, '/legacy/faceio-hook', signed)).body).toEqual({
      received: true,
      duplicate: true,
    });
    expect(named('face_webhooks.delivery')[0]!.attributes['face_webhooks.outcome']).toBe('duplicate');
  });

  it('a refused and an invalid delivery: rejected, with their reasons', async () => {
    const body = faceioFixture('AUTH', { facialId: 'x' });
    expect((await post(app, '/legacy/faceio-hook', signFaceioRequest({ token: 'wrong', body }))).status).toBe(
      401,
    );
    const invalid = signFaceioRequest({ token: TOKEN, body: { ...body, facialId: '' } });
    expect((await post(app, '/legacy/faceio-hook', invalid)).status).toBe(400);
    expect(named('face_webhooks.delivery').map((span) => span.attributes)).toEqual([
      expect.objectContaining({
        'face_webhooks.outcome': 'rejected',
        'face_webhooks.reason': 'token_mismatch',
      }),
      expect.objectContaining({
        'face_webhooks.outcome': 'rejected',
        'face_webhooks.reason': 'invalid_body',
      }),
    ]);
    expect(named('face_webhooks.handler')).toEqual([]);
  });

  it('a delivery another guard of the route stops: ended by the response, counted once', async () => {
    const signed = signFaceioRequest({ token: TOKEN, body: faceioFixture('AUTH', { facialId: 'denied' }) });
    expect((await post(app, '/legacy/denied', signed)).status).toBe(403);
    await waitFor('the delivery span', () => named('face_webhooks.delivery').length > 0);
    expect(named('face_webhooks.delivery').map((span) => span.attributes['face_webhooks.outcome'])).toEqual([
      'rejected',
    ]);
  });
});

describe.each(ADAPTERS)('traces across the queue (%s)', (adapter) => {
  it("the worker's job span continues the delivery's trace, and the handlers are its children", async () => {
    const { app, handlers } = await start(
      adapter,
      {
        redis: process.env.REDIS_URL!,
        redisKeyPrefix: `tracing-${randomUUID()}:`,
        deduplicationStore: 'redis',
      },
      true,
    );
    try {
      exporter.reset();
      const body = faceioFixture('ENROLL', { facialId: `trace-queued-${adapter}` });
      const res = await post(app, '/webhooks/faceio', signFaceioRequest({ token: TOKEN, body }));
      expect(res.status).toBe(202);
      for (let i = 0; i < 100 && handlers.of('enroll').length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(handlers.of('enroll')).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the job span ends after its handlers

      const [delivery] = named('face_webhooks.delivery');
      expect(delivery!.attributes['face_webhooks.outcome']).toBe('queued');
      const [job] = named('face_webhooks.job');
      expect(job!.kind).toBe(SpanKind.CONSUMER);
      expect(job!.spanContext().traceId).toBe(delivery!.spanContext().traceId);
      expect(parentOf(job!)).toBe(idOf(delivery!));
      expect(job!.attributes).toMatchObject({
        'face_webhooks.provider': 'faceio',
        'face_webhooks.event.type': 'faceio.ENROLL',
        'face_webhooks.job.attempt': 1,
        'face_webhooks.outcome': 'accepted',
      });
      const handlerSpans = named('face_webhooks.handler');
      expect(handlerSpans.length).toBeGreaterThan(0);
      for (const span of handlerSpans) expect(parentOf(span)).toBe(idOf(job!));
    } finally {
      await app.close();
    }
  });
});
