// One benchmark server, started by bench/run.mjs in its own process:
//   node bench/server.mjs <scenario> <adapter> <port>
// Scenarios: node-http and bare (baselines that parse the same JSON and answer 200), naive
// (rawBody: true and a hand-written FaceSign HMAC check, nothing else), faceio,
// facesign, idaas (the full pipeline inline, memory store, one no-op handler), faceio-redis (inline,
// Redis store), faceio-queued (Redis store + queue, no worker in this process).
// Plain JS on the built package (npm run build:lib), as an app would use it.
import 'reflect-metadata';
import { createServer } from 'node:http';
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
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FaceWebhooksModule, OnFaceEvent } from 'nestjs-face-webhooks';
import { BENCH_SECRETS } from './secrets.mjs';

const [scenario, adapter = 'express', port = '3900'] = process.argv.slice(2);
const redis = process.env.REDIS_URL;

if (scenario === 'node-http') {
  createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  }).listen(Number(port), '127.0.0.1', () => console.log('ready'));
} else {
  const handlers = [];
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
  }[scenario];
  const plain = scenario === 'bare' || scenario === 'naive';
  const imports = plain ? [] : [FaceWebhooksModule.forRoot(options)];
  if (scenario !== 'bare') handlers.push(NoopHandler);
  class BenchModule {}
  const controllers = { bare: [BareController], naive: [NaiveController] }[scenario] ?? [];
  Module({ imports, providers: handlers, controllers })(BenchModule);

  let app;
  if (adapter === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(BenchModule, new FastifyAdapter(), {
      logger: ['error'],
      rawBody: scenario === 'naive',
    });
  } else {
    app = await NestFactory.create(BenchModule, { logger: ['error'], rawBody: scenario === 'naive' });
  }
  await app.listen(Number(port), '127.0.0.1');
  console.log('ready');
}
// Exit cleanly on SIGTERM, so `node --cpu-prof bench/server.mjs ...` writes its profile.
process.on('SIGTERM', () => process.exit(0));
// With --expose-gc, SIGUSR2 collects garbage and prints the live heap: what the process really holds.
if (global.gc) {
  process.on('SIGUSR2', () => {
    global.gc();
    console.log(`heap ${JSON.stringify(process.memoryUsage())}`);
  });
}
