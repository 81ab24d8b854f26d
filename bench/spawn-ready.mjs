// Starts a benchmark process and waits until it says it is ready.
import { spawn } from 'node:child_process';

/**
 * Runs `node <args>` with `env` added to this process's environment, and resolves once it prints
 * `ready`. `child.output()` returns everything it has printed so far.
 */
export async function spawnReady(args, env = {}, timeoutMs = 20_000) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
