// Before and after a change, over HTTP: this build of the library against another, route by route.
//   npm run build:lib && rm -rf bench/.before && cp -r libs/face-webhooks/dist bench/.before  # before
//   ... change the library ...
//   npm run build:lib && node bench/compare.mjs --scenarios faceio,idaas --rounds 8
// On this 2-core virtual machine a route's CPU per request swings by 20-60% from one minute to the
// next, whatever the code, so two builds measured minutes apart cannot be compared. Here every
// server (bare, then each scenario with this build and with the other) runs at once, each pinned to
// the server core, and they are driven in turn at --rate (2000 req/s) for --duration (4 s) per
// round; each round's figures are compared with that round's bare route, seconds apart, and the
// table gives medians over the rounds. The other build must sit inside the project (bench/.before,
// git-ignored) so that its imports resolve.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { delivery } from './deliveries.mjs';
import { pinLoadGenerator, spawnReady } from './spawn-ready.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])),
);
const before = args.before ?? 'bench/.before';
const scenarios = (args.scenarios ?? 'faceio,facesign,idaas').split(',');
const rounds = Number(args.rounds ?? 8);
const rate = Number(args.rate ?? 2000);
const duration = Number(args.duration ?? 4);
const adapter = args.adapter ?? 'fastify';
pinLoadGenerator();

/** CPU time a process has used, user + system, in microseconds (from /proc, 10 ms ticks). */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

let port = 4800;
const servers = [];
const start = async (name, scenario, env) => {
  const serverPort = port++;
  const args = ['bench/server.mjs', scenario, adapter, String(serverPort)];
  const child = await spawnReady(args, env, 20_000, true);
  servers.push({ name, scenario, url: `http://127.0.0.1:${serverPort}`, child, samples: [] });
};
await start('bare', 'bare', {});
for (const scenario of scenarios) {
  await start(`${scenario} (this build)`, scenario, {});
  await start(`${scenario} (${before})`, scenario, { BENCH_LIBRARY: `${before}/index.js` });
}

let sequence = 0;
const drive = (server, seconds) =>
  autocannon({
    url: server.url,
    connections: 10,
    overallRate: rate,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: delivery(server.scenario, -1).path,
        setupRequest: (req) => {
          const next = delivery(server.scenario, sequence++);
          return { ...req, headers: next.headers, body: next.body };
        },
      },
    ],
  });

try {
  for (const server of servers) await drive(server, 2); // warm-up
  for (let round = 0; round < rounds; round++) {
    // Every other round in reverse order, so that neither build is always measured first.
    for (const server of round % 2 ? [...servers].reverse() : servers) {
      const cpuBefore = cpuMicros(server.child.pid);
      const result = await drive(server, duration);
      if (result.non2xx + result.errors > 0)
        throw new Error(`${server.name}: ${result.non2xx} non-2xx answers`);
      server.samples.push((cpuMicros(server.child.pid) - cpuBefore) / result.requests.total);
    }
    console.log(
      `round ${round + 1}: ${servers.map((s) => `${s.name} ${Math.round(s.samples.at(-1))}`).join(', ')}`,
    );
  }
} finally {
  for (const server of servers) server.child.kill('SIGTERM');
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const bare = servers[0];
const overBare = (server) => server.samples.map((sample, i) => sample - bare.samples[i]);
console.log(`\n| route | CPU µs/req at ${rate} req/s (median) | over bare (median of rounds) |`);
console.log('| --- | ---: | ---: |');
for (const server of servers) {
  console.log(
    `| ${server.name} | ${Math.round(median(server.samples))} | ${Math.round(median(overBare(server)))} |`,
  );
}
console.log(
  `\n| scenario | this build minus ${before}, µs/req (median of rounds) | rounds where this build was cheaper |`,
);
console.log('| --- | ---: | ---: |');
for (const scenario of scenarios) {
  const [now, then] = servers.filter((server) => server.scenario === scenario);
  const differences = now.samples.map((sample, i) => sample - then.samples[i]);
  const cheaper = differences.filter((difference) => difference < 0).length;
  console.log(`| ${scenario} | ${Math.round(median(differences))} | ${cheaper} of ${rounds} |`);
}
