// The benchmark apps, one per scenario: bench/server.mjs serves one over HTTP, bench/in-process.mjs
// runs several in one process. Scenarios: bare (parses the JSON and answers 200), validated (bare
// plus Nest's ValidationPipe on the FACEIO DTO), naive (rawBody: true and a hand-written FaceSign
// HMAC check, nothing else), faceio, facesign, idaas (the full pipeline inline, memory store, one
// no-op handler), faceio-raw, faceio-auth, faceio-parsed (the FACEIO route cut short after a
// stage), faceio-redis (inline, Redis store), faceio-queued (Redis store + queue, no worker in this
// process), faceio-otel (faceio with an OpenTelemetry SDK registered), direct (Fastify only: `bare`
// as a route of Nest's Fastify instance, outside Nest's router, guards and pipes), and the peers
// stripe, standardwebhooks and octokit (see bench/peers/peer-routes.mjs).
// Plain JS on the built package (npm run build:lib), as an app would use it.
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  Controller,
  HttpCode,
  Injectable,
  Module,
  Post,
  Body,
  Req,
  UnauthorizedException,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadPeers, PEER_SCENARIOS } from './deliveries.mjs';
import { BENCH_SECRETS } from './secrets.mjs';

/** Scenarios that change the whole process (a patched receiver, a global SDK): one per process. */
export const PROCESS_WIDE = new Set(['faceio-raw', 'faceio-auth', 'faceio-parsed', 'faceio-otel']);

/**
 * A Nest app (not yet listening) serving `scenario` on `adapter`. `library`: the package's exports
 * (default: the built package; bench/in-process.mjs can pass another build to compare with).
 */
export async function createBenchApp(scenario, adapter, library) {
  if (scenario === 'direct' && adapter !== 'fastify') throw new Error('the direct scenario is Fastify only');
  const { FaceWebhooksModule, FaceioWebhookEventDto, OnFaceEvent } =
    library ?? (await import('nestjs-face-webhooks'));
  const redis = process.env.REDIS_URL;
  class NoopHandler {
    handle() {}
  }
  Injectable()(NoopHandler);
  OnFaceEvent('**')(
    NoopHandler.prototype,
    'handle',
    Object.getOwnPropertyDescriptor(NoopHandler.prototype, 'handle'),
  );

  /** `@Controller(path)` with `@Post() @HttpCode(200) receive(@<param>() ...)`, applied by hand (plain JS). */
  const postRoute = (controller, path, param) => {
    Controller(path)(controller);
    const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, 'receive');
    Post()(controller.prototype, 'receive', descriptor);
    HttpCode(200)(controller.prototype, 'receive', descriptor);
    param(controller.prototype, 'receive', 0);
  };

  class BareController {
    receive(body) {
      return body ? { received: true } : { received: false };
    }
  }
  postRoute(BareController, 'bare', Body());

  // The "validated" route: a bare endpoint with Nest's own ValidationPipe and the FACEIO DTO, the
  // way Nest's documentation validates a body (class-transformer, then class-validator), no auth.
  class ValidatedController {
    receive(body) {
      return body ? { received: true } : { received: false };
    }
  }
  Reflect.defineMetadata(
    'design:paramtypes',
    [FaceioWebhookEventDto],
    ValidatedController.prototype,
    'receive',
  );
  postRoute(ValidatedController, 'validated', Body(new ValidationPipe({ transform: true })));

  // The "naive" route: what an app gets with `rawBody: true` and a hand-written HMAC check of a
  // FaceSign delivery (timestamp.body, constant-time compare), the body parsed by Nest, no
  // validation, no de-duplication, no dispatch. The yardstick to beat.
  class NaiveController {
    receive(request) {
      const header = String(request.headers['x-facesign-signature'] ?? '');
      const timestamp = /t=(\d+)/.exec(header)?.[1] ?? '';
      const presented = Buffer.from(/v1=([0-9a-f]{64})/.exec(header)?.[1] ?? '', 'hex');
      const expected = createHmac('sha256', BENCH_SECRETS.facesign)
        .update(`${timestamp}.`)
        .update(request.rawBody)
        .digest();
      const ok = presented.length === expected.length && timingSafeEqual(presented, expected);
      if (!ok || !request.body) throw new UnauthorizedException();
      return { received: true };
    }
  }
  postRoute(NaiveController, 'naive', Req());

  // The FACEIO route cut short, to show what each stage costs inside a running server (where it
  // costs several times what bench/stages.mjs measures in a tight loop): `faceio-raw` answers once
  // the body has been read, `faceio-auth` after authenticating, `faceio-parsed` after parsing,
  // validating and describing the event (no de-duplication, no dispatch). Bench-only patches of the
  // built package's receiver.
  const cut = { 'faceio-raw': 'raw', 'faceio-auth': 'auth', 'faceio-parsed': 'parsed' }[scenario];
  if (cut) await cutReceiverShort(cut);
  // What an app with OpenTelemetry runs: the SDK registered before the app is created.
  if (scenario === 'faceio-otel') await registerOpenTelemetrySdk();

  const quick = { deduplicationTtlMs: 1 }; // bench requests repeat from a pool of signed deliveries
  const options = {
    faceio: {
      faceio: { token: BENCH_SECRETS.faceio },
      deduplicationMaxEntries: Number(process.env.DEDUPLICATION_MAX_ENTRIES ?? 100_000),
    },
    facesign: { facesign: { secret: BENCH_SECRETS.facesign, ...quick } },
    idaas: { idaas: { secret: BENCH_SECRETS.idaas, publicBaseUrl: 'https://bench.example.com', ...quick } },
    'faceio-redis': { faceio: { token: BENCH_SECRETS.faceio }, redis, deduplicationStore: 'redis' },
    'faceio-queued': {
      faceio: { token: BENCH_SECRETS.faceio },
      redis,
      deduplicationStore: 'redis',
      queue: { workers: false },
    },
  }[cut || scenario === 'faceio-otel' ? 'faceio' : scenario];
  // Baseline routes are plain controllers, peers come from bench/peers; every other scenario is the
  // library with a no-op handler.
  const baseline = {
    bare: BareController,
    direct: BareController,
    naive: NaiveController,
    validated: ValidatedController,
  }[scenario];
  const peers = PEER_SCENARIOS.has(scenario) ? await loadPeers() : undefined;
  const peer = peers?.peerModule(scenario);
  class BenchModule {}
  Module(
    peer
      ? { imports: [peer.module] }
      : baseline
        ? { controllers: [baseline] }
        : { imports: [FaceWebhooksModule.forRoot(options)], providers: [NoopHandler] },
  )(BenchModule);

  const appOptions = { logger: ['error'], rawBody: scenario === 'naive' || peer?.rawBody === true };
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(
          BenchModule,
          new (await import('@nestjs/platform-fastify')).FastifyAdapter(),
          appOptions,
        )
      : await NestFactory.create(BenchModule, appOptions);
  peers?.preparePeerApp(scenario, app);
  if (scenario === 'direct') {
    // What a route costs without Nest's per-route pipeline: Fastify parses the JSON as for `bare`.
    app
      .getHttpAdapter()
      .getInstance()
      .post('/direct', (request, reply) => {
        reply.code(200).send(request.body ? { received: true } : { received: false });
      });
  }
  return app;
}

/** Traces always sampled and batched to an exporter that drops them; metrics kept for a reader. */
async function registerOpenTelemetrySdk() {
  const { context, metrics, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } =
    await import('@opentelemetry/sdk-metrics');
  const { BatchSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');
  const drop = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: drop })] }),
  );
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(0),
    exportIntervalMillis: 60_000,
  });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
}

/** Replaces the receiver's `receive` with one that stops after `stage` and acknowledges. */
async function cutReceiverShort(stage) {
  const dist = '../libs/face-webhooks/dist';
  const { FaceWebhookReceiver } = await import(`${dist}/pipeline/face-webhook.receiver.js`);
  const { buildFaceEvent } = await import(`${dist}/pipeline/face-event.factory.js`);
  FaceWebhookReceiver.prototype.receive = async function (providerName, request) {
    const provider = this.registry.get(providerName);
    const { rawBody } = request;
    if (stage === 'raw') return { received: true };
    if (!provider.authenticate(request).ok) throw new UnauthorizedException();
    if (stage === 'auth') return { received: true };
    buildFaceEvent(provider, rawBody, new Date());
    return { received: true };
  };
}
