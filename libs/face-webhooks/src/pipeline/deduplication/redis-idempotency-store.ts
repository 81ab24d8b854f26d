import type { OnApplicationShutdown } from '@nestjs/common';
import {
  connectFailFast,
  hashTagged,
  type FaceWebhooksRedisClient,
  type FaceWebhooksRedisConnection,
} from '../../redis/redis-connection.js';
import {
  FaceWebhookIdempotencyStore,
  type IdempotencyClaim,
  type LeaseOutcome,
  type LeaseScope,
  type LeaseTerms,
} from './idempotency-store.js';

// Claim atomically: take the key if nobody has it, else say what state it is in.
// KEYS[2] holds the handlers an earlier, failed attempt finished.
const CLAIM = `
if redis.call('SET', KEYS[1], 'in-flight', 'NX', 'PX', ARGV[1]) then
  if redis.call('EXISTS', KEYS[2]) == 1 then return 'resumed' end
  return 'claimed'
end
if redis.call('GET', KEYS[1]) == 'done' then return 'done' end
return 'in-flight'`;
// Release only a claim still in flight: a copy that finished meanwhile stays done.
const RELEASE = `
if redis.call('GET', KEYS[1]) == 'in-flight' then return redis.call('DEL', KEYS[1]) end
return 0`;

// Leases. KEYS[1] is the event's state, as `claim` writes it: `in-flight` or `done`, so that an
// instance of an earlier version, running beside this one during an upgrade, sees a leased event as
// in flight. KEYS[2] is its owner record: `<kind>:<until>:<owner>`, where `until` is Redis's own
// time (ms) the lease lasts to, and `kind` is `lease` (its owner holds it) or `grace` (its owner's
// lease ran out with its outcome unwritten: it has until `until` to come back and renew it).
// Expiry is judged by Redis's clock, read in the script, so instances' clocks do not matter, and
// both keys live for the event's TTL, so a lease that ran out during an outage is still known,
// with its owner, when Redis returns. A state without an owner record is an earlier version's
// claim, which honours its own TTL. KEYS[3] holds the finished handlers. All share a hash tag.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function parse(v)
  local kind, u, holder = string.match(v, '^(%a+):(%d+):(.+)$')
  return kind, tonumber(u), holder
end`;
// ARGV: owner, leaseMs, ttlMs, graceMs. Returns claimed | resumed | in-flight | done.
const CLAIM_LEASE = `${NOW}
local v = redis.call('GET', KEYS[1])
if v == 'done' then return 'done' end
local takeover = false
if v then
  local l = redis.call('GET', KEYS[2])
  if not l then return 'in-flight' end
  local kind, u, holder = parse(l)
  if not kind then return 'in-flight' end
  if holder ~= ARGV[1] then
    if u > now then return 'in-flight' end
    if kind == 'lease' then
      -- Its owner stopped renewing. Alive but cut off from Redis, it renews or settles within
      -- moments of reaching Redis again: it gets a grace period, from now, to do so.
      redis.call('SET', KEYS[2], 'grace:' .. (now + tonumber(ARGV[4])) .. ':' .. holder, 'PX', ARGV[3])
      return 'in-flight'
    end
    takeover = true
  end
end
redis.call('SET', KEYS[1], 'in-flight', 'PX', ARGV[3])
redis.call('SET', KEYS[2], 'lease:' .. (now + tonumber(ARGV[2])) .. ':' .. ARGV[1], 'PX', ARGV[3])
if takeover or redis.call('EXISTS', KEYS[3]) == 1 then return 'resumed' end
return 'claimed'`;
// ARGV: owner, leaseMs, ttlMs. 1: renewed (or taken back from its grace); 0: lost (another owner
// has it, or it was settled).
const RENEW_LEASE = `${NOW}
local l = redis.call('GET', KEYS[2])
if not l then return 0 end
local kind, u, holder = parse(l)
if holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], 'lease:' .. (now + tonumber(ARGV[2])) .. ':' .. ARGV[1], 'PX', ARGV[3])
return 1`;
// ARGV: owner, end ('done' | 'release'), doneTtlMs, recordTtlMs, handlers... The handlers are
// recorded whoever holds the lease; the lease ends only if it is still the owner's (or nobody's).
const SETTLE_LEASE = `
if #ARGV > 4 then
  redis.call('SADD', KEYS[3], unpack(ARGV, 5))
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
local v = redis.call('GET', KEYS[1])
if v == 'done' then
  if ARGV[2] == 'done' then return 1 end -- done already (say, by this call's first try)
  return 0
end
local l = redis.call('GET', KEYS[2])
if l then
  if string.match(l, '^%a+:%d+:(.+)$') ~= ARGV[1] then return 0 end
elseif v then
  return 0
end
if ARGV[2] == 'done' then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
redis.call('DEL', KEYS[2])
return 1`;

/**
 * De-duplication shared by every instance, in Redis: each claim is one Lua script, so of two
 * concurrent claims on any instances exactly one wins. Keys are `<keyPrefix>dedup:<provider>:<id>`
 * (the event's state), `<keyPrefix>owner:<provider>:<id>` (who holds it, and until when),
 * `<keyPrefix>handlers:<provider>:<id>` (a set of handlers that finished), and a queue worker's
 * `job:` and `job-owner:` keys. The lease methods are fenced (see `FaceWebhookIdempotencyStore`).
 * On a Redis Cluster the event's part is a hash tag (`dedup:{faceio:<id>}`), so every key of one
 * event is in one slot.
 * Commands fail fast while Redis is unreachable (no offline queue), so a delivery then gets a 503.
 */
export class RedisIdempotencyStore extends FaceWebhookIdempotencyStore implements OnApplicationShutdown {
  private constructor(
    private readonly redis: FaceWebhooksRedisClient,
    private readonly keyPrefix: string,
  ) {
    super();
  }

  /**
   * Connects to Redis and returns the store. The module calls this for
   * `deduplicationStore: 'redis'`; call it yourself only to use the store outside the module.
   *
   * @param connection - A `redis://` URL, ioredis options, or `{ cluster: [...] }`.
   * @param keyPrefix - Prepended to every key (the module's `redisKeyPrefix`).
   */
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

  override get fenced(): boolean {
    return true;
  }

  override async claimLease(
    key: string,
    scope: LeaseScope,
    owner: string,
    terms: LeaseTerms,
  ): Promise<IdempotencyClaim> {
    return (await this.redis.eval(
      CLAIM_LEASE,
      3,
      ...this.leaseKeys(key, scope),
      this.handlersKey(key),
      owner,
      ms(terms.leaseMs),
      ms(terms.ttlMs),
      ms(terms.graceMs ?? terms.leaseMs),
    )) as IdempotencyClaim;
  }

  override async renewLease(
    key: string,
    scope: LeaseScope,
    owner: string,
    terms: LeaseTerms,
  ): Promise<boolean> {
    const renewed = await this.redis.eval(
      RENEW_LEASE,
      3,
      ...this.leaseKeys(key, scope),
      this.handlersKey(key),
      owner,
      ms(terms.leaseMs),
      ms(terms.ttlMs),
    );
    return renewed === 1;
  }

  override async settleLease(
    key: string,
    scope: LeaseScope,
    owner: string,
    outcome: LeaseOutcome,
  ): Promise<boolean> {
    const settled = await this.redis.eval(
      SETTLE_LEASE,
      3,
      ...this.leaseKeys(key, scope),
      this.handlersKey(key),
      owner,
      scope === 'job' ? 'release' : outcome.end,
      ms(outcome.doneTtlMs),
      ms(outcome.recordTtlMs),
      ...outcome.finished,
    );
    return settled === 1;
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

  /** Closes the Redis connection when the Nest application shuts down. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(key: string): string {
    return hashTagged(this.redis.isCluster, `${this.keyPrefix}dedup:`, key);
  }

  /**
   * A lease's state and owner keys: for a delivery, the de-duplication key itself and
   * `<keyPrefix>owner:...`; for a worker, `<keyPrefix>job:...` and `<keyPrefix>job-owner:...`.
   */
  private leaseKeys(key: string, scope: LeaseScope): [string, string] {
    const cluster = this.redis.isCluster;
    return scope === 'delivery'
      ? [this.key(key), hashTagged(cluster, `${this.keyPrefix}owner:`, key)]
      : [
          hashTagged(cluster, `${this.keyPrefix}job:`, key),
          hashTagged(cluster, `${this.keyPrefix}job-owner:`, key),
        ];
  }

  private handlersKey(key: string): string {
    return hashTagged(this.redis.isCluster, `${this.keyPrefix}handlers:`, key);
  }
}

const ms = (value: number): number => Math.max(1, Math.round(value));
