import type { OnApplicationShutdown } from '@nestjs/common';
import {
  connectFailFast,
  hashTagged,
  type FaceWebhooksRedisClient,
  type FaceWebhooksRedisConnection,
} from '../../redis/redis-connection.js';
import { FaceWebhookIdempotencyStore, type IdempotencyClaim } from './idempotency-store.js';

// Claim atomically: take the key if nobody has it, else say what state it is in.
// KEYS[2] holds the handlers an earlier, failed attempt finished.
const CLAIM = `
if redis.call('SET', KEYS[1], 'in-flight', 'NX', 'PX', ARGV[1]) then
  if redis.call('EXISTS', KEYS[2]) == 1 then return 'resumed' end
  return 'claimed'
end
return redis.call('GET', KEYS[1]) or 'in-flight'`;
// Release only a claim still in flight: a copy that finished meanwhile stays done.
const RELEASE = `
if redis.call('GET', KEYS[1]) == 'in-flight' then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * De-duplication shared by every instance, in Redis: `SET NX PX` in one Lua script, so of two
 * concurrent claims on any instances exactly one wins. Keys are `<keyPrefix>dedup:<provider>:<id>`,
 * and `<keyPrefix>handlers:<provider>:<id>` (a set) for handlers that finished when others failed.
 * On a Redis Cluster the event's part is a hash tag (`dedup:{faceio:<id>}`), so the two keys the
 * claim script touches are in one slot.
 * Commands fail fast while Redis is unreachable (no offline queue), so a delivery then gets a 503.
 */
export class RedisIdempotencyStore extends FaceWebhookIdempotencyStore implements OnApplicationShutdown {
  private constructor(
    private readonly redis: FaceWebhooksRedisClient,
    private readonly keyPrefix: string,
  ) {
    super();
  }

  static async connect(
    connection: FaceWebhooksRedisConnection,
    keyPrefix: string,
  ): Promise<RedisIdempotencyStore> {
    // An unreachable Redis is reported per delivery (503).
    return new RedisIdempotencyStore(await connectFailFast(connection), keyPrefix);
  }

  async claim(key: string, ttlMs: number): Promise<IdempotencyClaim> {
    return (await this.redis.eval(
      CLAIM,
      2,
      this.key(key),
      this.handlersKey(key),
      Math.max(1, Math.round(ttlMs)),
    )) as IdempotencyClaim;
  }

  override async ping(): Promise<void> {
    await this.redis.ping();
  }

  async complete(key: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(key), 'done', 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(key));
  }

  async recordFinishedHandlers(key: string, handlers: readonly string[], ttlMs: number): Promise<void> {
    if (handlers.length === 0) return;
    await this.redis
      .multi()
      .sadd(this.handlersKey(key), ...handlers)
      .pexpire(this.handlersKey(key), Math.max(1, Math.round(ttlMs)))
      .exec();
  }

  async finishedHandlers(key: string): Promise<ReadonlySet<string>> {
    return new Set(await this.redis.smembers(this.handlersKey(key)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(key: string): string {
    return hashTagged(this.redis.isCluster, `${this.keyPrefix}dedup:`, key);
  }

  private handlersKey(key: string): string {
    return hashTagged(this.redis.isCluster, `${this.keyPrefix}handlers:`, key);
  }
}
