// What each stage of a delivery costs, per provider, in one process without HTTP:
//   npm run build:lib && node bench/stages.mjs
// Stages: authenticate (token, HMAC or RFC 9421 signature), parse (strict UTF-8, depth, JSON,
// forbidden keys), hydrate (DTO instance: our cached path, and class-transformer's plainToInstance
// for comparison), validate (the cached class-validator plan, and validateSync for comparison),
// describe (type, id, time), then the whole event stage warm and with cold caches. It reads the
// built package's internals, as a benchmark may.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BUILT_IN_PROVIDERS } from '../libs/face-webhooks/dist/providers/built-in-providers.js';
import { createFaceWebhookProvider } from '../libs/face-webhooks/dist/contracts/define-face-webhook-provider.js';
import { parseJsonObject } from '../libs/face-webhooks/dist/pipeline/body/json-body.js';
import { toInstance } from '../libs/face-webhooks/dist/pipeline/body/fast-hydration.js';
import { surelyValid } from '../libs/face-webhooks/dist/pipeline/body/fast-validation.js';
import { buildFaceEvent } from '../libs/face-webhooks/dist/pipeline/face-event.factory.js';
import { BENCH_SECRETS } from './secrets.mjs';

const EVENTS = { faceio: 'ENROLL', facesign: 'media.user_photo', idaas: 'face.biometric.created' };
const URL_BASE = 'https://bench.example.com';

/** Nanoseconds per call, after a warm-up. */
function cost(fn, runs = 100_000) {
  for (let i = 0; i < runs / 2; i++) fn();
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  return Number(process.hrtime.bigint() - started) / runs;
}

// A server runs much else between two deliveries (the kernel's TCP stack, Fastify or Express,
// Nest), so a delivery's code and data are no longer in the CPU caches when it starts. `cold`
// measures the whole event stage (parse, hydrate, validate, describe) after reading 4 MiB, more than
// this machine's L2 cache, between calls: closer to what the stage costs inside a server.
const scratch = new Float64Array((4 * 2 ** 20) / 8);
let sink = 0;
function coldCost(fn, runs = 20_000) {
  let total = 0n;
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < scratch.length; k += 8) sink += scratch[k]++;
    const started = process.hrtime.bigint();
    fn();
    total += process.hrtime.bigint() - started;
  }
  return Number(total) / runs;
}

const rows = [];
for (const [name, type] of Object.entries(EVENTS)) {
  const secret = BENCH_SECRETS[name];
  const definition = BUILT_IN_PROVIDERS.find((candidate) => candidate.name === name);
  const options = {
    ...definition.testing.options(secret),
    ...(name === 'idaas' ? { publicBaseUrl: URL_BASE } : {}),
  };
  const provider = createFaceWebhookProvider(definition, options);
  const signed = definition.testing.sign(
    secret,
    `${URL_BASE}/webhooks/${name}`,
    JSON.stringify(definition.testing.fixture(type)),
  );
  const rawBody = Buffer.from(signed.body);
  const request = {
    method: 'POST',
    url: `/webhooks/${name}`,
    headers: signed.headers,
    secure: false,
    rawBody,
  };
  const auth = provider.authenticate(request);
  if (!auth.ok) throw new Error(`${name}: ${auth.reason}`);
  const plain = parseJsonObject(rawBody);
  const dto = provider.selectDto?.(plain) ?? provider.dto;
  const instance = toInstance(dto, plain);
  if (surelyValid(instance) !== true) throw new Error(`${name}: the fixture is not surely valid`);
  const validateOptions = { forbidUnknownValues: true, validationError: { target: false } };
  rows.push({
    provider: `${name} (${rawBody.length} B)`,
    authenticate: cost(() => provider.authenticate(request)),
    parse: cost(() => parseJsonObject(rawBody)),
    hydrate: cost(() => toInstance(dto, plain)),
    'plainToInstance (not used)': cost(() => plainToInstance(dto, plain)),
    validate: cost(() => surelyValid(instance)),
    'validateSync (not used)': cost(() => validateSync(instance, validateOptions)),
    describe: cost(() => provider.describe(instance, rawBody)),
    'event stage, warm': cost(() => buildFaceEvent(provider, rawBody, new Date())),
    'event stage, cold': coldCost(() => buildFaceEvent(provider, rawBody, new Date())),
  });
}
const columns = Object.keys(rows[0]);
console.log(`| ${columns.join(' | ')} |\n| --- |${' ---: |'.repeat(columns.length - 1)}`);
if (sink === -1) console.log(sink); // keeps the cache-clearing reads from being optimised away
for (const row of rows) {
  console.log(
    `| ${columns.map((c) => (typeof row[c] === 'number' ? `${(row[c] / 1000).toFixed(1)} µs` : row[c])).join(' | ')} |`,
  );
}
