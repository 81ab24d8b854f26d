// Starts and stops real redis-server processes on loopback ports, for the test suite (plain JS so
// jest's global setup can use it too). Needs the redis-server binary: Debian's `redis-server`
// package. When it is missing and we are root with apt-get, it is installed, since tests must not
// depend on a machine set up by hand.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { ensureDebianPackage } from './debian-package.js';

export function ensureRedisServerBinary() {
  const binary = process.env.REDIS_SERVER_BIN || 'redis-server';
  const present = () => spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
  ensureDebianPackage('redis-server', present, 'The tests need redis-server');
  return binary;
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

/**
 * A Redis Cluster of three masters (no replicas) on loopback ports, each a redis-server started
 * with `--cluster-enabled yes`, joined with `redis-cli --cluster create`. `nodes` is what the
 * library's `redis: { cluster: nodes }` takes. Each node keeps its cluster state (and, with
 * `appendOnly`, its data: `appendfsync always`) in its own temporary directory, so `restart(i)`
 * brings node i back as the same member with its keys.
 */
export class RedisCluster {
  constructor(servers, dirs) {
    this.servers = servers;
    this.dirs = dirs;
    this.nodes = servers.map((server) => ({ host: '127.0.0.1', port: server.port }));
  }

  /** `REDIS_CLUSTER_NODES` form: `127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003`. */
  get spec() {
    return this.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  }

  static async start({ appendOnly = false } = {}) {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const servers = [];
    const dirs = [];
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'face-webhooks-cluster-'));
      // The cluster bus port is chosen too: the default (port + 10000) may be taken or out of range.
      const [port, busPort] = [await freePort(), await freePort()];
      const settings = [
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(busPort),
        '--cluster-config-file',
        join(dir, 'nodes.conf'),
        '--cluster-node-timeout',
        '2000',
        '--dir',
        dir,
        '--save',
        '',
        ...(appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ];
      servers.push(await RedisServer.start(port, settings));
      dirs.push(dir);
    }
    const cluster = new RedisCluster(servers, dirs);
    try {
      execFileSync(
        'redis-cli',
        ['--cluster', 'create', ...cluster.spec.split(','), '--cluster-replicas', '0', '--cluster-yes'],
        { stdio: 'ignore' },
      );
      await cluster.waitUntilHealthy();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Resolves once every node reports `cluster_state:ok` (all slots served). */
  async waitUntilHealthy(timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const healthy = this.servers.every((server) => {
        try {
          const info = execFileSync('redis-cli', ['-p', String(server.port), 'cluster', 'info'], {
            encoding: 'utf8',
          });
          return info.includes('cluster_state:ok');
        } catch {
          return false;
        }
      });
      if (healthy) return;
      if (Date.now() > deadline) throw new Error(`Redis Cluster ${this.spec} did not become healthy`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Kills node `index` (SIGKILL) and starts it again on its port, with its cluster state. */
  async restart(index, downMs = 0) {
    await this.servers[index].stop();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.servers[index].start();
    await this.waitUntilHealthy();
  }

  async stop() {
    const { rmSync } = await import('node:fs');
    await Promise.all(this.servers.map((server) => server.stop()));
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
