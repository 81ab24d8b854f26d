// One benchmark server, started by bench/run.mjs in its own process:
//   node bench/server.mjs <scenario> <adapter> <port>
// node-http is a plain node:http server that parses the same JSON as `bare`; every other scenario
// is a Nest app from bench/apps.mjs.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createBenchApp } from './apps.mjs';

const [scenario, adapter = 'express', port = '3900'] = process.argv.slice(2);

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
  // BENCH_LIBRARY: another build of the library, to compare with (bench/compare.mjs).
  const library = process.env.BENCH_LIBRARY
    ? await import(pathToFileURL(process.env.BENCH_LIBRARY).href)
    : undefined;
  const app = await createBenchApp(scenario, adapter, library);
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
