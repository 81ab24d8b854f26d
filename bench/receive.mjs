// What the library's own work costs per delivery, without HTTP, Fastify, Express or Nest's router:
//   npm run build:lib && node bench/receive.mjs
//   node bench/receive.mjs --library bench/.before/index.js     # another build, to compare with
//   node bench/receive.mjs --providers faceio --store-cap 10000  # with the memory store full
// One process per provider (pinned to one core when `taskset` exists) with the module in an
// application context and one no-op handler; each delivery, distinct and signed beforehand, goes through the receiver
// as the module's route hands it over: authenticate, parse and validate, de-duplicate in the
// memory store, dispatch, telemetry (no SDK). Deliveries are awaited one at a time after a
// warm-up. Per delivery it prints the time, the bytes allocated and the time spent collecting
// garbage (included in the time). Run this build and the other alternately, three times each or
// more, and compare the medians: most runs agree within 10%, but one in five or so is 30-50%
// slower (this VM). The bytes allocated vary by about 3% from run to run.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import v8 from 'node:v8';
import { dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BENCH_SECRETS } from './secrets.mjs';
import { CORES } from './spawn-ready.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])),
);
const count = Number(args.count ?? 50_000);
// --store-cap: the memory store's cap; below 1.5 x --count the store fills up during the warm-up
// and every delivery then evicts the oldest record first (FACEIO only: the signed providers'
// records may not be evicted while their deliveries could still authenticate, so their 503s stop it).
const storeCap = Number(args['store-cap'] ?? 2 * count);
const providers = (args.providers ?? 'faceio,facesign,idaas').split(',');
// Each provider is measured in a process of its own: one measured after another in the same
// process came out slower, with more time in GC, than alone (the heap the first left behind).
if (providers.length > 1) {
  const otherArgs = Object.entries(args).flatMap(([name, value]) =>
    name === 'providers' ? [] : [`--${name}`, value],
  );
  const results = providers.map((provider) => {
    const output = execFileSync(
      process.execPath,
      [new URL(import.meta.url).pathname, ...otherArgs, '--providers', provider],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return output.trim().split(': ').slice(1).join(': ');
  });
  console.log(`${args.library ?? 'this build'}: ${results.join(', ')}`);
  process.exit(0);
}
if (CORES)
  execFileSync('taskset', ['-a', '-p', '-c', CORES.server, String(process.pid)], { stdio: 'ignore' });

const entry = args.library ? pathToFileURL(args.library).href : import.meta.resolve('nestjs-face-webhooks');
// The deliveries are signed with the same build (one copy of the library in the process).
if (args.library) process.env.BENCH_LIBRARY = args.library;
const { delivery } = await import('./deliveries.mjs');
const { FaceWebhooksModule, OnFaceEvent } = await import(entry);
// The receiver is where the library's own work on a delivery starts: the controller hands it the
// request, its body already read. Builds before the receiver moved to pipeline/ took the request
// object whole; later ones take the framework-neutral request the controller makes of it.
const loadReceiver = async (path) => (await import(`${dirname(entry)}/${path}`)).FaceWebhookReceiver;
const modern = existsSync(fileURLToPath(`${dirname(entry)}/pipeline/face-webhook.receiver.js`));
const FaceWebhookReceiver = await loadReceiver(
  modern ? 'pipeline/face-webhook.receiver.js' : 'core/face-webhook.receiver.js',
);
const { toWebhookRequest } = modern
  ? await import(`${dirname(entry)}/http/raw-body/raw-body.js`)
  : { toWebhookRequest: undefined };
const RAW_BODY = Symbol.for('nestjs-face-webhooks.raw-body');

class NoopHandler {
  handle() {}
}
Injectable()(NoopHandler);
OnFaceEvent('**')(
  NoopHandler.prototype,
  'handle',
  Object.getOwnPropertyDescriptor(NoopHandler.prototype, 'handle'),
);
class BenchModule {}
Module({
  imports: [
    FaceWebhooksModule.forRoot({
      faceio: { token: BENCH_SECRETS.faceio },
      facesign: { secret: BENCH_SECRETS.facesign },
      idaas: { secret: BENCH_SECRETS.idaas, publicBaseUrl: 'https://bench.example.com' },
      deduplicationMaxEntries: storeCap,
    }),
  ],
  providers: [NoopHandler],
})(BenchModule);
const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
const receiver = app.get(FaceWebhookReceiver);

let sequence = 0;
/** The request object the module's route hands to the receiver, its body already read. */
const requests = (provider, n) =>
  Array.from({ length: n }, () => {
    const { path, headers, body } = delivery(provider, sequence++);
    return { method: 'POST', url: path, headers, [RAW_BODY]: Buffer.from(body) };
  });
/** What the module's controller does with a request before the receiver: its neutral view. */
const received = (request) => (toWebhookRequest ? toWebhookRequest(request, request[RAW_BODY]) : request);

/**
 * Bytes allocated and GC time over the measured loop, from V8's GC events: what each collection
 * found in use before it, less what the previous one left.
 */
function heapUse() {
  const profiler = new v8.GCProfiler();
  const usedAtStart = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  return () => {
    const usedAtEnd = v8.getHeapStatistics().used_heap_size;
    let allocated = 0;
    let previous = usedAtStart;
    let gcMicros = 0;
    for (const { beforeGC, afterGC, cost } of profiler.stop().statistics) {
      allocated += beforeGC.heapStatistics.usedHeapSize - previous;
      previous = afterGC.heapStatistics.usedHeapSize;
      gcMicros += cost;
    }
    return { allocated: allocated + usedAtEnd - previous, gcMicros };
  };
}

const results = [];
for (const provider of providers) {
  for (const request of requests(provider, Math.ceil(count / 2)))
    await receiver.receive(provider, received(request));
  const measured = requests(provider, count);
  const stopHeapUse = heapUse();
  const startedAt = process.hrtime.bigint();
  for (const request of measured) await receiver.receive(provider, received(request));
  const micros = Number(process.hrtime.bigint() - startedAt) / 1000 / count;
  const { allocated, gcMicros } = stopHeapUse();
  results.push(
    `${provider} ${micros.toFixed(1)} µs (${Math.round(allocated / count)} B allocated, ` +
      `${(gcMicros / count).toFixed(1)} µs in GC)`,
  );
}
await app.close();
console.log(`${args.library ?? 'this build'}: ${results.join(', ')}`);
