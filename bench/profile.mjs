// Where a route's CPU goes, per request, under the benchmark's fixed load:
//   npm run build:lib && node bench/profile.mjs --scenarios bare,faceio [--adapter fastify] [--top 30]
//   node bench/profile.mjs --scenarios faceio --keep /tmp/profiles   # keeps the .cpuprofile files
// For each scenario it starts one server (bench/server.mjs, pinned like the others) with
// `node --cpu-prof`, warms it up, drives it at --rate (2000 req/s) with distinct deliveries for
// --duration (8 s), stops it, and reads the profile's samples from the measured seconds only.
// It prints the sampled CPU time per request by owner (the library, each package, Node's own
// code), then the functions with the most self time. Node's internals (streams, events, timers) and
// native calls are charged to the nearest caller outside Node, so "raw-body" would include the
// listeners it adds. The profiler sees JavaScript and the native calls it makes (the response's
// `writev` included), not the kernel's work around them, so its totals are below the /proc figures of
// bench/run.mjs; compare scenarios within one run, and read a difference under ~2 µs as noise.
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { deliveryRequests } from './deliveries.mjs';
import { pinLoadGenerator, redisForScenarios, spawnReady } from './spawn-ready.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])),
);
const scenarios = (args.scenarios ?? 'bare,faceio').split(',');
const adapter = args.adapter ?? 'fastify';
const rate = Number(args.rate ?? 2000);
const duration = Number(args.duration ?? 8);
const top = Number(args.top ?? 25);
// --keep: a folder to keep each profile in (<scenario>-<adapter>.cpuprofile, for Chrome DevTools).
const keep = args.keep;
pinLoadGenerator();

/** Runs one scenario's server under load with the profiler on; the profile, and how many requests it measured. */
async function profile(scenario, port) {
  const dir = mkdtempSync(join(tmpdir(), 'face-webhooks-profile-'));
  const child = await spawnReady(
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'bench/server.mjs', scenario, adapter, String(port)],
    {},
    20_000,
    true,
  );
  const url = `http://127.0.0.1:${port}`;
  const load = (seconds) =>
    autocannon({
      url,
      connections: 10,
      duration: seconds,
      overallRate: rate,
      requests: deliveryRequests(scenario, Math.ceil(rate * seconds * 1.05)),
    });
  await load(2);
  const result = await load(duration);
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // server.mjs exits cleanly on SIGTERM, so the profile is written
  await exited;
  const [file] = readdirSync(dir);
  const text = readFileSync(join(dir, file), 'utf8');
  if (keep) {
    mkdirSync(keep, { recursive: true });
    writeFileSync(join(keep, `${scenario}-${adapter}.cpuprofile`), text);
  }
  const cpuProfile = JSON.parse(text);
  rmSync(dir, { recursive: true, force: true });
  if (result.non2xx + result.errors > 0) console.warn(`${scenario}: ${result.non2xx + result.errors} failed`);
  return { cpuProfile, requests: result.requests.total };
}

/** Who a script belongs to: the library, a package, or Node itself (`null`). */
function ownerOf(url) {
  if (!url || url.startsWith('node:')) return null;
  if (url.includes('/face-webhooks/dist/')) return 'nestjs-face-webhooks';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  return url.split('/').slice(-2).join('/');
}

/** Sampled time per owner and self time per function, over the last `seconds` of the profile. */
function attribute({ nodes, samples, timeDeltas, startTime, endTime }, seconds) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const owners = new Map();
  const functions = new Map();
  const from = endTime - seconds * 1e6;
  let time = startTime;
  let busy = 0;
  for (let i = 0; i < samples.length; i++) {
    time += timeDeltas[i];
    const spent = timeDeltas[i + 1] ?? 0;
    const node = byId.get(samples[i]);
    const frame = node.callFrame;
    if (time < from || frame.functionName === '(idle)') continue;
    busy += spent;
    let owner = null;
    for (let id = node.id; id !== undefined && owner === null; id = parentOf.get(id)) {
      owner = ownerOf(byId.get(id).callFrame.url);
    }
    owner ??= frame.functionName.startsWith('(') ? frame.functionName : 'node';
    owners.set(owner, (owners.get(owner) ?? 0) + spent);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + spent);
  }
  return { busy, owners, functions };
}

const redis = await redisForScenarios(scenarios);

const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
let port = 3950;
for (const scenario of scenarios) {
  const { cpuProfile, requests } = await profile(scenario, port++);
  const { busy, owners, functions } = attribute(cpuProfile, duration);
  const perRequest = (micros) => (micros / requests).toFixed(1).padStart(7);
  console.log(
    `\n${scenario} on ${adapter}: ${perRequest(busy).trim()} µs sampled per request (${requests} requests)`,
  );
  for (const [owner, micros] of sorted(owners)) {
    if (micros / requests >= 0.1) console.log(`${perRequest(micros)}  ${owner}`);
  }
  console.log('  self time, by function:');
  for (const [name, micros] of sorted(functions).slice(0, top)) console.log(`${perRequest(micros)}  ${name}`);
}
await redis?.stop();
