// Before and after a change, over HTTP: this build of the library against another, route by route.
//   npm run build:lib && rm -rf bench/.before && cp -r libs/face-webhooks/dist bench/.before  # before
//   ... change the library ...
//   npm run build:lib && node bench/compare.mjs --scenarios faceio,idaas --rounds 8
// On this 2-core virtual machine a route's CPU per request swings by 20-60% from one minute to the
// next, whatever the code, so two builds measured minutes apart cannot be compared; and one server
// process can run the same code 10-15% dearer than another for its whole life (the same build in
// two servers side by side differed by 12-17 µs every round, and the difference followed the
// process, not the build). So every round starts fresh servers (bare, then each scenario with
// this build and with the other, in an order shuffled per round), each pinned to the server core,
// warms each up, drives each in turn at --rate (2000 req/s) for --duration (4 s), and stops them;
// each round's figures are compared with that round's bare route, seconds apart, and the tables
// give medians over the rounds. The other build must sit inside the project (bench/.before,
// git-ignored) so that its imports resolve.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { deliveryRequests } from './deliveries.mjs';
import { pinLoadGenerator, spawnReady, stopServer } from './spawn-ready.mjs';

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

/** The routes measured: bare, then each scenario on this build and on the other; a sample per round. */
const routes = [{ name: 'bare', scenario: 'bare', env: {}, samples: [] }];
for (const scenario of scenarios) {
  routes.push({ name: `${scenario} (this build)`, scenario, env: {}, samples: [] });
  const other = { BENCH_LIBRARY: `${before}/index.js` };
  routes.push({ name: `${scenario} (${before})`, scenario, env: other, samples: [] });
}

const shuffled = (list) => {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};

const drive = (server, seconds) =>
  autocannon({
    url: server.url,
    connections: 10,
    overallRate: rate,
    duration: seconds,
    requests: deliveryRequests(server.route.scenario),
  });

for (let round = 0; round < rounds; round++) {
  const servers = [];
  try {
    for (const [i, route] of shuffled(routes).entries()) {
      const port = 4800 + i;
      const child = await spawnReady(
        ['bench/server.mjs', route.scenario, adapter, String(port)],
        route.env,
        20_000,
        true,
      );
      servers.push({ route, child, url: `http://127.0.0.1:${port}` });
    }
    for (const server of servers) await drive(server, 2); // warm-up
    for (const server of shuffled(servers)) {
      const cpuBefore = cpuMicros(server.child.pid);
      const result = await drive(server, duration);
      if (result.non2xx + result.errors > 0)
        throw new Error(`${server.route.name}: ${result.non2xx} non-2xx answers`);
      server.route.samples.push((cpuMicros(server.child.pid) - cpuBefore) / result.requests.total);
    }
  } finally {
    // Stopped before the next round binds the same ports.
    await Promise.all(servers.map(({ child }) => stopServer(child)));
  }
  console.log(
    `round ${round + 1}: ${routes.map((r) => `${r.name} ${Math.round(r.samples.at(-1))}`).join(', ')}`,
  );
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const bare = routes[0];
const overBare = (route) => route.samples.map((sample, i) => sample - bare.samples[i]);
console.log(`\n| route | CPU µs/req at ${rate} req/s (median) | over bare (median of rounds) |`);
console.log('| --- | ---: | ---: |');
for (const route of routes) {
  console.log(
    `| ${route.name} | ${Math.round(median(route.samples))} | ${Math.round(median(overBare(route)))} |`,
  );
}
console.log(
  `\n| scenario | this build minus ${before}, µs/req (median of rounds) | rounds where this build was cheaper |`,
);
console.log('| --- | ---: | ---: |');
for (const scenario of scenarios) {
  const [now, then] = routes.filter((route) => route.scenario === scenario);
  const differences = now.samples.map((sample, i) => sample - then.samples[i]);
  const cheaper = differences.filter((difference) => difference < 0).length;
  console.log(`| ${scenario} | ${Math.round(median(differences))} | ${cheaper} of ${rounds} |`);
}
