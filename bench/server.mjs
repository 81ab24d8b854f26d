// One benchmark server, started by bench/run.mjs in its own process:
//   node bench/server.mjs <scenario> <adapter> <port>
// Scenarios: node-http and bare (baselines that parse the same JSON and answer 200), faceio,
// facesign, idaas (the full pipeline inline, memory store, one no-op handler), faceio-redis (inline,
// Redis store), faceio-queued (Redis store + queue, no worker in this process).
// Plain JS on the built package (npm run build:lib), as an app would use it.
import 'reflect-metadata';
import { createServer } from 'node:http';
import { Controller, HttpCode, Injectable, Module, Post, Body } from '@nestjs/common';
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

  class BareController {
    receive(body) {
      return body ? { received: true } : { received: false };
    }
  }
  Controller('bare')(BareController);
  Post()(
    BareController.prototype,
    'receive',
    Object.getOwnPropertyDescriptor(BareController.prototype, 'receive'),
  );
  HttpCode(200)(
    BareController.prototype,
    'receive',
    Object.getOwnPropertyDescriptor(BareController.prototype, 'receive'),
  );
  Body()(BareController.prototype, 'receive', 0);

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
  const imports = scenario === 'bare' ? [] : [FaceWebhooksModule.forRoot(options)];
  if (scenario !== 'bare') handlers.push(NoopHandler);
  class BenchModule {}
  Module({ imports, providers: handlers, controllers: scenario === 'bare' ? [BareController] : [] })(
    BenchModule,
  );

  let app;
  if (adapter === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: ['error'] });
  } else {
    app = await NestFactory.create(BenchModule, { logger: ['error'] });
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
