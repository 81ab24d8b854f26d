import { randomUUID } from 'node:crypto';
import { REDIS_TARGETS, redisConnection } from '../../../../../test/support/redis-targets.js';
import { RedisIdempotencyStore } from './redis-idempotency-store.js';

// Runs against the real Redis and the real three-node Redis Cluster the test suite starts
// (REDIS_URL, REDIS_CLUSTER_NODES): on the cluster, the claim script's two keys share a hash tag.
describe.each(REDIS_TARGETS)('RedisIdempotencyStore on %s', (target) => {
  let a: RedisIdempotencyStore;
  let b: RedisIdempotencyStore;
  const prefix = `test-${randomUUID()}:`;

  beforeAll(async () => {
    a = await RedisIdempotencyStore.connect(redisConnection(target), prefix);
    b = await RedisIdempotencyStore.connect(redisConnection(target), prefix);
  });
  afterAll(async () => {
    await a.onApplicationShutdown();
    await b.onApplicationShutdown();
  });

  it('moves a key from claimed to in-flight to done, across clients', async () => {
    expect(await a.claim('k1', 5000)).toBe('claimed');
    expect(await b.claim('k1', 5000)).toBe('in-flight');
    await a.complete('k1', 5000);
    expect(await b.claim('k1', 5000)).toBe('done');
  });

  it('releases a failed claim so a retry can take it, but never un-does a done key', async () => {
    await a.claim('k2', 5000);
    await a.release('k2');
    expect(await b.claim('k2', 5000)).toBe('claimed');
    await b.complete('k2', 5000);
    await a.release('k2');
    expect(await a.claim('k2', 5000)).toBe('done');
  });

  it('answers resumed, on any client, after a release that recorded finished handlers', async () => {
    expect(await a.claim('k5', 5000)).toBe('claimed');
    await a.recordFinishedHandlers('k5', ['A.a'], 5000);
    await a.recordFinishedHandlers('k5', ['B.b', 'A.a'], 5000);
    await a.release('k5');
    expect(await b.claim('k5', 5000)).toBe('resumed');
    expect([...(await b.finishedHandlers('k5'))].sort()).toEqual(['A.a', 'B.b']);
    expect(await b.finishedHandlers('k6')).toEqual(new Set());
    await a.recordFinishedHandlers('k7', ['A.a'], 100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await b.claim('k7', 5000)).toBe('claimed');
  });

  it('lets a claim expire, so a crashed instance does not block the event for long', async () => {
    expect(await a.claim('k3', 100)).toBe('claimed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await b.claim('k3', 100)).toBe('claimed');
  });

  it('gives exactly one of many concurrent claims from two clients', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).claim('k4', 5000)),
    );
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'in-flight')).toHaveLength(49);
  });
});
