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

  describe('leases', () => {
    const terms = (leaseMs: number) => ({ leaseMs, ttlMs: 60_000, inFlightTtlMs: 120_000 });
    const done = { end: 'done', finished: [], recordTtlMs: 60_000, doneTtlMs: 60_000 } as const;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('holds an event for its owner only: others are in flight, renewals and the outcome need its token', async () => {
      expect(a.fenced).toBe(true);
      expect(await a.claimLease('l1', 'delivery', 'owner-a', terms(5_000))).toBe('claimed');
      expect(await b.claimLease('l1', 'delivery', 'owner-b', terms(5_000))).toBe('in-flight');
      expect(await b.claim('l1', 5_000)).toBe('in-flight'); // the plain claim sees it too
      expect(await a.renewLease('l1', 'delivery', 'owner-a', terms(5_000))).toBe(true);
      expect(await b.renewLease('l1', 'delivery', 'owner-b', terms(5_000))).toBe(false);
      expect(await b.settleLease('l1', 'delivery', 'owner-b', done)).toBe(false);
      expect(await b.claimLease('l1', 'delivery', 'owner-b', terms(5_000))).toBe('in-flight');
      expect(await a.settleLease('l1', 'delivery', 'owner-a', done)).toBe(true);
      expect(await b.claimLease('l1', 'delivery', 'owner-b', terms(5_000))).toBe('done');
      expect(await a.renewLease('l1', 'delivery', 'owner-a', terms(5_000))).toBe(false);
    });

    it('gives an owner whose lease ran out one more lease period, counted from the first claim that finds it', async () => {
      expect(await a.claimLease('l2', 'delivery', 'owner-a', terms(200))).toBe('claimed');
      await sleep(400); // owner a cut off from Redis: no renewal
      // The first copy after that starts the grace period and is told to retry.
      expect(await b.claimLease('l2', 'delivery', 'owner-b', terms(200))).toBe('in-flight');
      // Owner a reaches Redis again within it: it takes its lease back and writes its outcome.
      expect(await a.renewLease('l2', 'delivery', 'owner-a', terms(200))).toBe(true);
      await sleep(100);
      expect(await b.claimLease('l2', 'delivery', 'owner-b', terms(200))).toBe('in-flight');
      expect(await a.settleLease('l2', 'delivery', 'owner-a', done)).toBe(true);
      expect(await b.claimLease('l2', 'delivery', 'owner-b', terms(200))).toBe('done');
    });

    it('hands the event of an owner that vanished to another after the grace period, as resumed', async () => {
      expect(await a.claimLease('l3', 'delivery', 'owner-a', terms(200))).toBe('claimed');
      await a.recordFinishedHandlers('l3', ['A.quick'], 60_000);
      await sleep(400);
      expect(await b.claimLease('l3', 'delivery', 'owner-b', terms(200))).toBe('in-flight');
      expect(await b.claimLease('l3', 'delivery', 'owner-b', terms(200))).toBe('in-flight');
      await sleep(400);
      expect(await b.claimLease('l3', 'delivery', 'owner-b', terms(5_000))).toBe('resumed');
      expect([...(await b.finishedHandlers('l3'))]).toEqual(['A.quick']);
      // The old owner, back too late, cannot take it again or end it, but what it finished is recorded.
      expect(await a.renewLease('l3', 'delivery', 'owner-a', terms(200))).toBe(false);
      expect(
        await a.settleLease('l3', 'delivery', 'owner-a', { ...done, end: 'release', finished: ['A.slow'] }),
      ).toBe(false);
      expect([...(await b.finishedHandlers('l3'))].sort()).toEqual(['A.quick', 'A.slow']);
      expect(await a.claimLease('l3', 'delivery', 'owner-c', terms(200))).toBe('in-flight');
      expect(await b.settleLease('l3', 'delivery', 'owner-b', done)).toBe(true);
      expect(await a.claimLease('l3', 'delivery', 'owner-c', terms(200))).toBe('done');
    });

    it('releases with the finished handlers in one step; the next owner resumes after them', async () => {
      expect(await a.claimLease('l4', 'delivery', 'owner-a', terms(5_000))).toBe('claimed');
      const release = { ...done, end: 'release', finished: ['A.a', 'B.b'] } as const;
      expect(await a.settleLease('l4', 'delivery', 'owner-a', release)).toBe(true);
      expect(await b.claimLease('l4', 'delivery', 'owner-b', terms(5_000))).toBe('resumed');
      expect([...(await b.finishedHandlers('l4'))].sort()).toEqual(['A.a', 'B.b']);
    });

    it('keeps a job lease apart from the delivery lease, and ends it released', async () => {
      expect(await a.claimLease('l5', 'delivery', 'receiver', terms(5_000))).toBe('claimed');
      expect(await a.settleLease('l5', 'delivery', 'receiver', done)).toBe(true);
      expect(await a.claimLease('l5', 'job', 'run-1', terms(5_000))).toBe('claimed');
      expect(await b.claimLease('l5', 'job', 'run-2', terms(5_000))).toBe('in-flight');
      const end = { ...done, finished: ['A.a'] };
      expect(await a.settleLease('l5', 'job', 'run-1', end)).toBe(true);
      expect(await b.claimLease('l5', 'job', 'run-2', terms(5_000))).toBe('resumed');
      expect(await b.claimLease('l5', 'delivery', 'copy', terms(5_000))).toBe('done');
    });

    it("lives beside an earlier version during an upgrade: each sees the other's claim as in flight", async () => {
      expect(await a.claim('l7', 5_000)).toBe('claimed'); // an earlier version's claim: no owner record
      expect(await b.claimLease('l7', 'delivery', 'owner-b', terms(200))).toBe('in-flight');
      expect(await b.settleLease('l7', 'delivery', 'owner-b', done)).toBe(false);
      await a.complete('l7', 5_000);
      expect(await b.claimLease('l7', 'delivery', 'owner-b', terms(200))).toBe('done');
      expect(await b.claimLease('l8', 'delivery', 'owner-b', terms(5_000))).toBe('claimed');
      expect(await a.claim('l8', 5_000)).toBe('in-flight');
    });

    it('gives exactly one of many concurrent lease claims', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? a : b).claimLease('l6', 'delivery', `o${i}`, terms(5_000)),
        ),
      );
      expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
      expect(results.filter((result) => result === 'in-flight')).toHaveLength(49);
    });
  });
});
