import type { FaceWebhooksRedisConnection } from 'nestjs-face-webhooks';

/**
 * The Redis deployments the Redis-backed suites run against: the standalone server and the
 * three-master cluster the jest global setup (or CI) started (`REDIS_URL`, `REDIS_CLUSTER_NODES`).
 */
export const REDIS_TARGETS = ['redis', 'cluster'] as const;
export type RedisTarget = (typeof REDIS_TARGETS)[number];

export function redisConnection(target: RedisTarget): FaceWebhooksRedisConnection {
  if (target === 'redis') return process.env.REDIS_URL!;
  return { cluster: clusterNodes() };
}

/** `REDIS_CLUSTER_NODES` (`host:port,host:port,...`) as `{ host, port }` nodes. */
export function clusterNodes(): { host: string; port: number }[] {
  return process.env.REDIS_CLUSTER_NODES!.split(',').map((node) => {
    const [host, port] = node.split(':');
    return { host: host!, port: Number(port) };
  });
}

/** `[adapter, target]` pairs for `describe.each`: every adapter against every deployment. */
export function acrossRedisTargets<A extends string>(adapters: readonly A[]): [A, RedisTarget][] {
  return adapters.flatMap((adapter) => REDIS_TARGETS.map((target): [A, RedisTarget] => [adapter, target]));
}
