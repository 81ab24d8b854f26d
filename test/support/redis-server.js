// Starts and stops real redis-server processes on loopback ports, for the test suite (plain JS so
// jest's global setup can use it too). Needs the redis-server binary: Debian's `redis-server`
// package. When it is missing and we are root with apt-get, it is installed, since tests must not
// depend on a machine set up by hand.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export function ensureRedisServerBinary() {
  const binary = process.env.REDIS_SERVER_BIN || 'redis-server';
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' });
    return binary;
  } catch {
    if (process.getuid?.() !== 0) {
      throw new Error(
        'The tests need redis-server: install it (Debian/Ubuntu: sudo apt-get install -y redis-server)',
      );
    }
    console.log('redis-server is missing: installing the Debian package redis-server');
    execFileSync(
      'sh',
      ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'],
      {
        stdio: 'inherit',
      },
    );
    return binary;
  }
}

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A redis-server on 127.0.0.1; `stop()` kills it, `start()` brings it back on the same port. No
 * persistence unless `persistence` gives settings such as `['--dir', d, '--appendonly', 'yes']`.
 */
export class RedisServer {
  constructor(port, persistence = ['--save', '', '--appendonly', 'no']) {
    this.persistence = persistence;
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
    this.process = undefined;
  }

  static async start(port, persistence) {
    const server = new RedisServer(port ?? (await freePort()), persistence);
    await server.start();
    return server;
  }

  async start() {
    const binary = ensureRedisServerBinary();
    const child = spawn(binary, ['--port', String(this.port), '--bind', '127.0.0.1', ...this.persistence], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.process = child;
    let output = '';
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
    });
    child.stdout.resume();
    child.removeAllListeners('exit');
  }

  async stop() {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    this.process = undefined;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}
