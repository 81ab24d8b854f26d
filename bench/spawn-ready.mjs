// Starts a benchmark process and waits until it says it is ready.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { RedisServer } from '../test/support/redis-server.js';

/**
 * The cores of this 2-core virtual machine do not run at the same speed (seen here: one took 25%
 * more CPU time than the other for the same loop, run after run), and a process the kernel moves
 * between them measures both. The benchmarks therefore pin each server to the first core and their
 * own process (the load generator) to the last, when `taskset` (util-linux) is there and the
 * machine has two cores or more. `undefined`: no pinning.
 */
export const CORES = (() => {
  if (os.availableParallelism() < 2) return undefined;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { server: '0', generator: String(os.availableParallelism() - 1) };
})();

/** Pins this process (every thread of it: the load generator) to its core. */
export function pinLoadGenerator() {
  if (CORES)
    execFileSync('taskset', ['-a', '-p', '-c', CORES.generator, String(process.pid)], { stdio: 'ignore' });
}

/** `node <args>`, on the server's core when `pin` and pinning is possible. */
export function spawnServer(args, options, pin = true) {
  return pin && CORES
    ? spawn('taskset', ['-c', CORES.server, process.execPath, ...args], options)
    : spawn(process.execPath, args, options);
}

/**
 * Runs `node <args>` with `env` added to this process's environment (on the server's core when
 * `pin`), and resolves once it prints `ready`. `child.output()` returns everything it has printed so far.
 */
export async function spawnReady(args, env = {}, timeoutMs = 20_000, pin = false) {
  const child = spawnServer(
    args,
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    pin,
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.output = () => output;
  const deadline = Date.now() + timeoutMs;
  while (!output.includes('ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** Kills a server and resolves once it has exited (its port is free again). */
export async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/**
 * A redis-server of their own for scenarios that need Redis (the Redis store, the queue), unless
 * REDIS_URL names one; REDIS_URL is set for the servers started after. `stop()` it at the end.
 */
export async function redisForScenarios(scenarios) {
  if (process.env.REDIS_URL || !scenarios.some((s) => s.includes('redis') || s.includes('queued'))) return;
  const redis = await RedisServer.start();
  process.env.REDIS_URL = redis.url;
  return redis;
}
