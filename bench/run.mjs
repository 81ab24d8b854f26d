// Benchmarks the library against a bare Nest endpoint and a plain node:http server, on loopback.
//   npm run bench                      # everything, results in bench/results.md
//   node bench/run.mjs --adapters express --scenarios faceio,bare --duration 5
//   node bench/run.mjs --rate 3000 --rss 0          # the CPU pass at 3000 req/s, no memory runs
// Each server runs in its own process; autocannon (10 connections) drives it from this one, with
// a warm-up run first, then measures it twice: at saturation (req/s, latency) and at a fixed rate,
// --rate (2000 req/s), that saturates no route, for server CPU per request. Every route is measured
// --rounds times (3), taking turns, and medians are reported with their range. Ratios and "CPU
// over bare" compare each route with the bare Nest endpoint of the same adapter in the same run.
// The peers (stripe, standardwebhooks, octokit) live in bench/peers with their own package.json,
// installed here on first use.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { deliveryRequests, loadPeers, PEER_SCENARIOS } from './deliveries.mjs';
import { installPeers } from './peers/install.mjs';
import { pinLoadGenerator, redisForScenarios, spawnReady, stopServer } from './spawn-ready.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])),
);
const duration = Number(args.duration ?? 5);
const warmup = Number(args.warmup ?? 2);
const rounds = Number(args.rounds ?? 3);
const connections = Number(args.connections ?? 10);
const adapters = (args.adapters ?? 'express,fastify').split(',');
const scenarios = (
  args.scenarios ??
  'node-http,bare,validated,naive,stripe,standardwebhooks,octokit,faceio,facesign,idaas,faceio-redis,faceio-queued'
).split(',');
const rssDeliveries = Number(args.rss ?? 100_000);
// The CPU pass drives every route at the same rate, so CPU per request compares like with like (at
// saturation the load generator and the server fight over the 2 cores, and at a lower throughput
// each response costs the kernel more: it wakes an idle client). --rate 0 skips it.
const rate = Number(args.rate ?? 2000);
if (scenarios.some((scenario) => PEER_SCENARIOS.has(scenario))) {
  installPeers();
  await loadPeers();
}
let port = 3900;
// Servers on one core, autocannon (this process) on another: see CORES in spawn-ready.mjs.
pinLoadGenerator();

async function startServer(scenario, adapter, env = {}, nodeFlags = []) {
  const serverPort = port++;
  const child = await spawnReady(
    [...nodeFlags, 'bench/server.mjs', scenario, adapter, String(serverPort)],
    env,
    20_000,
    true,
  );
  return { child, url: `http://127.0.0.1:${serverPort}` };
}

/**
 * What autocannon sends for a scenario: a distinct FACEIO body each time, or (signing costs too much
 * to do while the load runs) a pool of deliveries signed beforehand and sent in turn.
 * At saturation the pool has 2,000, and its repeats are duplicates (answered 200 after
 * authentication, validation and the store lookup); the fixed-rate pass, which measures CPU, gets
 * a pool as large as the deliveries it sends, so every one is distinct, as a peer's are.
 */
const load = (url, scenario, options) =>
  autocannon({
    url,
    connections,
    requests: deliveryRequests(
      scenario,
      options.overallRate ? Math.ceil(options.overallRate * options.duration * 1.05) : 2000,
    ),
    ...options,
  });

/** CPU time a process has used, user + system, in microseconds (from /proc, clock ticks of 10 ms). */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Resident memory of a process, and its peak, from /proc (kB -> MiB). */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

/** The live heap after a full garbage collection (the server runs with --expose-gc), in MiB. */
async function liveHeapOf(server) {
  const before = server.child.output().length;
  server.child.kill('SIGUSR2');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const line = /heap (\{.*\})/.exec(server.child.output().slice(before));
    if (line) return JSON.parse(line[1]).heapUsed / 2 ** 20;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return NaN;
}

const redis = await redisForScenarios(scenarios);

// Each route is measured `rounds` times, the routes of an adapter taking turns (bare, faceio, ...,
// bare, faceio, ...), and the median of each figure is reported: the machine's drift then falls on
// every route alike instead of on whichever ran during a slow spell.
const samples = new Map();
for (const adapter of adapters) {
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of scenarios) {
      const { child, url } = await startServer(scenario, adapter);
      try {
        await load(url, scenario, { duration: warmup });
        const result = await load(url, scenario, { duration });
        const sample = {
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.timeouts + result.non2xx,
        };
        if (rate > 0) {
          const cpuBefore = cpuMicros(child.pid);
          const paced = await load(url, scenario, { duration, overallRate: rate });
          sample.cpuPerRequest = (cpuMicros(child.pid) - cpuBefore) / Math.max(1, paced.requests.total);
          sample.pacedRps = paced.requests.total / duration;
          sample.errors += paced.errors + paced.timeouts + paced.non2xx;
        }
        const key = `${adapter} ${scenario}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        const cpu = rate > 0 ? `  at ${rate} req/s: ${Math.round(sample.cpuPerRequest)} µs CPU/req` : '';
        console.log(
          `${adapter.padEnd(8)} ${scenario.padEnd(16)} round ${round}: ${Math.round(sample.rps)} req/s  ` +
            `p50 ${sample.p50} ms  p99 ${sample.p99} ms${cpu}  errors ${sample.errors}`,
        );
      } finally {
        await stopServer(child);
      }
    }
  }
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const rows = adapters.flatMap((adapter) =>
  scenarios.map((scenario) => {
    const list = samples.get(`${adapter} ${scenario}`);
    return {
      adapter,
      scenario,
      rps: median(list.map((s) => s.rps)),
      p50: median(list.map((s) => s.p50)),
      p99: median(list.map((s) => s.p99)),
      errors: list.reduce((sum, s) => sum + s.errors, 0),
      cpuPerRequest: median(list.map((s) => s.cpuPerRequest)),
      cpuRange: [
        Math.min(...list.map((s) => s.cpuPerRequest)),
        Math.max(...list.map((s) => s.cpuPerRequest)),
      ],
      // A route that could not keep up with the CPU pass's rate is marked.
      kept: list.every((s) => !(s.pacedRps < rate * 0.95)),
      rpsRange: [Math.min(...list.map((s) => s.rps)), Math.max(...list.map((s) => s.rps))],
    };
  }),
);

// Memory with the in-memory de-duplication store: distinct deliveries, each remembered (60 s TTL).
// Once with the default cap (100,000 events: the store fills up during the run), once with a cap of
// 25,000 (reached before the first measurement, so what is left is the process's own growth).
const memory = [];
const CAPS = [undefined, 25_000];
if (rssDeliveries > 0) {
  for (const adapter of adapters)
    for (const cap of CAPS) {
      const env = cap ? { DEDUPLICATION_MAX_ENTRIES: String(cap) } : {};
      const server = await startServer('faceio', adapter, env, ['--expose-gc']);
      const { child, url } = server;
      try {
        const half = Math.floor(rssDeliveries / 2);
        const first = await load(url, 'faceio', { amount: half });
        const atHalf = memoryOf(child.pid);
        atHalf.heapMiB = await liveHeapOf(server);
        const second = await load(url, 'faceio', { amount: rssDeliveries - half });
        const atEnd = memoryOf(child.pid);
        atEnd.heapMiB = await liveHeapOf(server);
        const errors = first.non2xx + first.errors + second.non2xx + second.errors;
        memory.push({ adapter, cap: cap ?? 100_000, atHalf, atEnd, errors });
        console.log(
          `${adapter} cap ${cap ?? 100_000}: RSS after ${half}: ${atHalf.rssMiB.toFixed(1)} MiB, after ${rssDeliveries}: ${atEnd.rssMiB.toFixed(1)} MiB (peak ${atEnd.peakMiB.toFixed(1)} MiB); live heap ${atHalf.heapMiB.toFixed(1)} -> ${atEnd.heapMiB.toFixed(1)} MiB`,
        );
      } finally {
        await stopServer(child);
      }
    }
}
await redis?.stop();

const version = (pkg) =>
  JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url))).version;
const bareRow = (adapter) => rows.find((row) => row.adapter === adapter && row.scenario === 'bare');
const table = [
  `| adapter | route | req/s | req/s range | p50 ms | p99 ms | vs bare Nest | CPU µs/req at ${rate} req/s | CPU range | CPU over bare | errors |`,
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((row) => {
    const bare = bareRow(row.adapter);
    const ratio = bare ? (row.rps / bare.rps).toFixed(2) : 'n/a';
    const difference = bare && rate > 0 ? Math.round(row.cpuPerRequest - bare.cpuPerRequest) : undefined;
    const extra = difference === undefined ? 'n/a' : `${difference >= 0 ? '+' : ''}${difference}`;
    const range = `${Math.round(row.rpsRange[0])}-${Math.round(row.rpsRange[1])}`;
    const cpu = rate > 0 ? `${Math.round(row.cpuPerRequest)}${row.kept ? '' : ' (slower)'}` : 'n/a';
    const cpuRange = rate > 0 ? `${Math.round(row.cpuRange[0])}-${Math.round(row.cpuRange[1])}` : 'n/a';
    return `| ${row.adapter} | ${row.scenario} | ${Math.round(row.rps)} | ${range} | ${row.p50} | ${row.p99} | ${ratio} | ${cpu} | ${cpuRange} | ${extra} | ${row.errors} |`;
  }),
];
const memoryTable = memory.length
  ? [
      '',
      `Memory of the FACEIO route with the in-memory de-duplication store, distinct deliveries. RSS is read`,
      `from /proc; the live heap is what remains after a full garbage collection (the server runs with`,
      `--expose-gc and collects when asked, after the RSS reading).`,
      '',
      `| adapter | store cap (events) | RSS after ${Math.floor(rssDeliveries / 2)} | RSS after ${rssDeliveries} | RSS growth | peak RSS | live heap after ${Math.floor(rssDeliveries / 2)} | live heap after ${rssDeliveries} | heap growth | live heap per added delivery | errors |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...memory.map((m) => {
        const growth = (from, to) => `${(((to - from) / from) * 100).toFixed(1)}%`;
        // While the store fills, this is what one remembered event costs; once it is full, ~0.
        const perDelivery =
          ((m.atEnd.heapMiB - m.atHalf.heapMiB) * 2 ** 20) / (rssDeliveries - Math.floor(rssDeliveries / 2));
        return `| ${m.adapter} | ${m.cap} | ${m.atHalf.rssMiB.toFixed(1)} MiB | ${m.atEnd.rssMiB.toFixed(1)} MiB | ${growth(m.atHalf.rssMiB, m.atEnd.rssMiB)} | ${m.atEnd.peakMiB.toFixed(1)} MiB | ${m.atHalf.heapMiB.toFixed(1)} MiB | ${m.atEnd.heapMiB.toFixed(1)} MiB | ${growth(m.atHalf.heapMiB, m.atEnd.heapMiB)} | ${Math.round(perDelivery)} B | ${m.errors} |`;
      }),
    ]
  : [];
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`;
const report = [
  '# Benchmark results',
  '',
  `Run on ${new Date().toISOString().slice(0, 10)} with \`npm run bench\`: each route ${rounds} times in turn with the other routes of its adapter (${warmup} s warm-up, then ${duration} s at saturation and ${duration} s at ${rate} req/s each time, ${connections} connections, autocannon ${version('autocannon')} on 127.0.0.1); medians, and their ranges.`,
  `Machine: ${machine}. Node ${process.version}, @nestjs/core ${version('@nestjs/core')}, express ${version('express')}${adapters.includes('fastify') ? `, fastify ${version('fastify')}` : ''}.`,
  '',
  "Routes: `node-http` and `bare` parse the same JSON and answer 200; `validated` is `bare` with Nest's",
  'own `ValidationPipe` on the FACEIO DTO (class-transformer and class-validator, as Nest documents it);',
  '`naive` is `rawBody: true` plus a hand-written HMAC check of the FaceSign deliveries (no validation,',
  'de-duplication or dispatch); the peers receive the same 600-byte JSON signed for each and only verify',
  'it (and dispatch it to a no-op handler where they have handlers): `stripe` is @golevelup/nestjs-stripe',
  '(its controller, `rawBody: true`), `standardwebhooks` a Nest route verifying with `standardwebhooks`',
  "(`rawBody: true`), `octokit` @octokit/webhooks' Node middleware in front of Nest;",
  "`direct` (when asked for, Fastify only) is `bare` registered on Fastify itself, outside Nest's router;",
  '`faceio-raw`, `faceio-auth` and `faceio-parsed` (when asked for) are the FACEIO route',
  'answering after its body is read, after authentication, and after parsing and validation;',
  '`faceio`, `facesign` and `idaas` run the',
  'full pipeline (authenticate, validate, de-duplicate, one no-op handler) inline with the memory store;',
  '`faceio-otel` is `faceio` with an OpenTelemetry SDK registered (every span sampled and batched to an',
  'exporter that drops them, metrics kept); `faceio-redis` uses the Redis store; `faceio-queued` acknowledges once the event is in the BullMQ queue',
  '(202, no worker in the process). Each server is pinned to one core and the load generator to the',
  'other. At saturation, signed deliveries repeat from a pool of 2,000 (the repeats are duplicates',
  'for our routes); at the fixed rate every delivery is distinct. Throughput on this virtual machine',
  'varies by 10-50% between runs, and even CPU per request at a fixed rate that saturates no route',
  '(from /proc, user + system, 10 ms ticks) by 20-60% from one minute to the next: read the CPU',
  'columns with their ranges, and compare two builds with `node bench/compare.mjs`, not across runs.',
  '"(slower)": the route did not keep up with that rate.',
  '',
  ...table,
  ...memoryTable,
  '',
].join('\n');
writeFileSync(new URL('./results.md', import.meta.url), report);
console.log('\nwritten to bench/results.md');
