// One Redis for the whole run: REDIS_URL when given (CI starts its own), else a redis-server this
// setup starts on a free loopback port and the teardown stops.
// It also makes sure Debian's Chromium is there for the browser tests.
import { ensureChromium } from './chromium.js';
import { RedisServer } from './redis-server.js';

export default async function setup() {
  ensureChromium();
  if (process.env.REDIS_URL) return;
  const server = await RedisServer.start();
  globalThis.__FACE_WEBHOOKS_REDIS__ = server;
  process.env.REDIS_URL = server.url;
}
