import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { loadWithOptionalPeers } from '../contracts/optional-peer.js';

/** Connection options as ioredis takes them (host, port, password, db, tls, ...). */
export interface FaceWebhooksRedisOptions {
  /** The Redis host. ioredis's default: `localhost`. */
  readonly host?: string;
  /** The Redis port. ioredis's default: 6379. */
  readonly port?: number;
  /** The ACL user name (Redis 6+). */
  readonly username?: string;
  /** The password (of `username`, or of the default user). */
  readonly password?: string;
  /** The database index. ioredis's default: 0. */
  readonly db?: number;
  /** TLS options, as Node's `tls.connect()` takes them; `{}` connects over TLS with the defaults. */
  readonly tls?: object;
  readonly [option: string]: unknown;
}

/** A Redis Cluster, as ioredis's `Cluster` takes it. */
export interface FaceWebhooksRedisClusterOptions {
  /** Some of the cluster's nodes (ioredis finds the rest): `{ host, port }` or `'host:port'`. */
  readonly cluster: readonly (
    | string
    | {
        /** The node's host. */
        readonly host: string;
        /** The node's port. */
        readonly port: number;
      }
  )[];
  /** Options of the connection to each node: password, tls, ... */
  readonly redisOptions?: FaceWebhooksRedisOptions;
  /** Further ioredis `ClusterOptions` (`natMap`, `dnsLookup`, `scaleReads`, ...). */
  readonly [option: string]: unknown;
}

/**
 * How to reach Redis: a `redis://` (or `rediss://`) URL, ioredis options, or
 * `{ cluster: [nodes...], ... }` for a Redis Cluster.
 */
export type FaceWebhooksRedisConnection = string | FaceWebhooksRedisOptions | FaceWebhooksRedisClusterOptions;

/** A connected client: one Redis or a Cluster (both speak the same commands). */
export type FaceWebhooksRedisClient = Redis | Cluster;

export function isClusterConnection(
  connection: FaceWebhooksRedisConnection,
): connection is FaceWebhooksRedisClusterOptions {
  return typeof connection === 'object' && connection !== null && 'cluster' in connection;
}

/**
 * On a Redis Cluster, keys one command or script touches together must hash to one slot: Redis
 * hashes only the text inside the first `{...}` of a key when there is one. On a cluster
 * `hashTagged(true, 'a:', 'b')` gives `a:{b}`; on one Redis the keys stay as they always were (`a:b`), so upgrading loses no
 * record.
 */
export function hashTagged(cluster: boolean, prefix: string, tag: string): string {
  return cluster ? `${prefix}{${tag}}` : `${prefix}${tag}`;
}

async function loadIoredis(): Promise<{ Redis: typeof Redis; Cluster: typeof Cluster }> {
  const { Redis: RedisClient, Cluster: ClusterClient } = await loadWithOptionalPeers(
    ['ioredis'],
    'redis',
    () => import('ioredis'),
  );
  return { Redis: RedisClient, Cluster: ClusterClient };
}

/**
 * Opens an ioredis client (a `Cluster` for `{ cluster }`); ioredis is an optional peer dependency,
 * loaded only when Redis is used. `overrides` win over the user's options (say, failing fast
 * instead of queueing while offline); on a cluster they apply to every node's connection, and
 * `enableOfflineQueue` and `lazyConnect` to the cluster too.
 */
export async function openRedis(
  connection: FaceWebhooksRedisConnection,
  overrides: RedisOptions = {},
): Promise<FaceWebhooksRedisClient> {
  const { Redis: RedisClient, Cluster: ClusterClient } = await loadIoredis();
  if (isClusterConnection(connection)) {
    const { cluster: nodes, redisOptions, ...clusterOptions } = connection;
    const { enableOfflineQueue, lazyConnect } = overrides;
    return new ClusterClient([...nodes] as ConstructorParameters<typeof Cluster>[0], {
      ...(clusterOptions as ClusterOptions),
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      redisOptions: { ...(redisOptions as RedisOptions), ...overrides },
    });
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
export async function connectFailFast(
  connection: FaceWebhooksRedisConnection,
): Promise<FaceWebhooksRedisClient> {
  const redis = await openRedis(connection, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    // An instance that holds events' leases renews them, and writes what it could not, moments
    // after Redis returns.
    ...quickReconnect(connection),
  });
  redis.on('error', () => undefined);
  await redis.connect().catch(() => undefined); // may come up later
  return redis;
}

/**
 * Reconnect every half second at most (ioredis backs off to 2 s, BullMQ to 20 s, which after a long
 * outage kept deliveries refused for up to 20 s after Redis was back), unless the app chose its own
 * `retryStrategy`.
 */
function quickReconnect(connection: FaceWebhooksRedisConnection): RedisOptions {
  const options =
    typeof connection === 'string'
      ? undefined
      : isClusterConnection(connection)
        ? connection.redisOptions
        : connection;
  if (typeof options?.retryStrategy === 'function') return {};
  return { retryStrategy: (times: number) => Math.min(times * 50, 500) };
}

/**
 * The connection as BullMQ takes it. One Redis: options (a URL taken apart), and BullMQ opens and
 * closes its own clients. A cluster: BullMQ needs a `Cluster` client, opened here; the caller
 * closes it (`quit`) after the queue or worker using it.
 */
export async function bullMqConnection(
  connection: FaceWebhooksRedisConnection,
  overrides: RedisOptions,
): Promise<FaceWebhooksRedisOptions | Cluster> {
  const quick = { ...quickReconnect(connection), ...overrides };
  if (isClusterConnection(connection)) return (await openRedis(connection, quick)) as Cluster;
  return { ...redisOptionsOf(connection), ...quick };
}

/** A URL taken apart into ioredis options; options are returned as they are. */
export function redisOptionsOf(connection: string | FaceWebhooksRedisOptions): FaceWebhooksRedisOptions {
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

/** The problem with a `redis` option, if any. */
export function checkRedisConnection(connection: FaceWebhooksRedisConnection): string[] {
  if (isClusterConnection(connection)) {
    const nodes = connection.cluster as unknown;
    return Array.isArray(nodes) && nodes.length > 0
      ? []
      : ['redis.cluster must list at least one node, like [{ host: "10.0.0.1", port: 6379 }]'];
  }
  try {
    redisOptionsOf(connection);
    return [];
  } catch {
    return ['redis must be a redis:// URL, ioredis options or { cluster: [nodes...] }'];
  }
}
