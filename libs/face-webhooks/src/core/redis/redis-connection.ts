import type { Redis, RedisOptions } from 'ioredis';

/** Connection options as ioredis takes them (host, port, password, db, tls, ...). */
export interface FaceWebhooksRedisOptions {
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls?: object;
  readonly [option: string]: unknown;
}

/** How to reach Redis: a `redis://` (or `rediss://`) URL, or ioredis options. */
export type FaceWebhooksRedisConnection = string | FaceWebhooksRedisOptions;

/**
 * Opens an ioredis client; ioredis is an optional peer dependency, loaded only when Redis is used.
 * `overrides` win over the user's options (say, failing fast instead of queueing while offline).
 */
export async function openRedis(
  connection: FaceWebhooksRedisConnection,
  overrides: RedisOptions = {},
): Promise<Redis> {
  let RedisClient: typeof Redis;
  try {
    ({ Redis: RedisClient } = await import('ioredis'));
  } catch (error) {
    throw new Error(
      'nestjs-face-webhooks: Redis is configured but ioredis is not installed (npm install ioredis)',
      {
        cause: error,
      },
    );
  }
  return typeof connection === 'string'
    ? new RedisClient(connection, overrides)
    : new RedisClient({ ...(connection as RedisOptions), ...overrides });
}

/**
 * A client that fails fast while Redis is down (no offline queue, one retry), so callers answer
 * at once (a 503, a dropped log line) instead of hanging; it keeps reconnecting in the background.
 * An unreachable Redis is the caller's to report, never an unhandled 'error' event.
 */
export async function connectFailFast(connection: FaceWebhooksRedisConnection): Promise<Redis> {
  const redis = await openRedis(connection, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  redis.on('error', () => undefined);
  await redis.connect().catch(() => undefined); // may come up later
  return redis;
}

/** The same connection as BullMQ wants it: options, with a URL taken apart. */
export function redisOptionsOf(connection: FaceWebhooksRedisConnection): FaceWebhooksRedisOptions {
  if (typeof connection !== 'string') return connection;
  const url = new URL(connection);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}
