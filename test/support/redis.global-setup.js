// One Redis and one Redis Cluster for the whole run. REDIS_URL and REDIS_CLUSTER_NODES when given
// (CI starts its own), else redis-server processes this setup starts on free loopback ports and the
// teardown stops: one standalone, three cluster masters.
// It also makes sure Debian's Chromium is there for the browser tests.
import { ensureChromium } from './chromium.js';
import { RedisCluster, RedisServer } from './redis-server.js';

export default async function setup() {
  ensureChromium();
  if (!process.env.REDIS_URL) {
    const server = await RedisServer.start();
    globalThis.__FACE_WEBHOOKS_REDIS__ = server;
    process.env.REDIS_URL = server.url;
  }
  if (!process.env.REDIS_CLUSTER_NODES) {
    const cluster = await RedisCluster.start();
    globalThis.__FACE_WEBHOOKS_REDIS_CLUSTER__ = cluster;
    process.env.REDIS_CLUSTER_NODES = cluster.spec;
  }
}
