import { jest } from '@jest/globals';
import type { FaceWebhooksSettings } from '../../contracts/face-webhooks.tokens.js';
import { EventLeases } from './event-leases.js';
import {
  FaceWebhookIdempotencyStore,
  type IdempotencyClaim,
  type LeaseOutcome,
  type LeaseScope,
} from './idempotency-store.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';

/** A fenced store that can be made unreachable, recording what it is asked. */
class FlakyStore extends FaceWebhookIdempotencyStore {
  down = false;
  held = true;
  renewals = 0;
  readonly settled: LeaseOutcome[] = [];
  readonly recorded: string[] = [];

  override get fenced(): boolean {
    return true;
  }
  private reachable(): Promise<void> {
    return this.down ? Promise.reject(new Error('unreachable')) : Promise.resolve();
  }
  override async claimLease(): Promise<IdempotencyClaim> {
    await this.reachable();
    return 'claimed';
  }
  override async renewLease(): Promise<boolean> {
    this.renewals++;
    await this.reachable();
    return this.held;
  }
  override async settleLease(
    _k: string,
    _s: LeaseScope,
    _o: string,
    outcome: LeaseOutcome,
  ): Promise<boolean> {
    await this.reachable();
    this.settled.push(outcome);
    return this.held;
  }
  override async recordFinishedHandlers(_k: string, handlers: readonly string[]): Promise<void> {
    await this.reachable();
    this.recorded.push(...handlers);
  }
  claim = () => Promise.resolve('claimed' as const);
  complete = () => Promise.resolve();
  release = () => Promise.resolve();
  finishedHandlers = () => Promise.resolve(new Set<string>());
}

const settings = { leaseMs: 100, inFlightTtlMs: 120_000, shutdownTimeoutMs: 2_000 } as FaceWebhooksSettings;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for `condition`, for at most 5 s (a bounded wait: the test fails after that). */
const until = async (condition: () => boolean) => {
  for (const giveUpAt = Date.now() + 5_000; !condition(); await sleep(10)) {
    if (Date.now() > giveUpAt) throw new Error('condition not met within 5 s');
  }
};
const outcome = { end: 'done', recordTtlMs: 1_000, doneTtlMs: 1_000 } as const;

describe('EventLeases', () => {
  it('renews a lease every quarter of its length until its outcome is written, then stops', async () => {
    const store = new FlakyStore();
    const leases = new EventLeases(store, settings);
    const { claim, lease } = await leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k');
    expect(claim).toBe('claimed');
    await until(() => store.renewals >= 3);
    expect(await lease!.settle(outcome, 1_000)).toBe(true);
    const renewals = store.renewals;
    await sleep(100);
    expect(store.renewals).toBe(renewals);
  });

  it('keeps an outcome the store cannot take, renewing the lease meanwhile, and writes it once the store is back', async () => {
    const store = new FlakyStore();
    const leases = new EventLeases(store, settings);
    const { lease } = await leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k');
    store.down = true;
    expect(await lease!.settle({ ...outcome, end: 'release', finished: ['A.a'] }, 100)).toBe(false);
    expect(leases.unsettled).toBe(1);
    const renewals = store.renewals;
    await until(() => store.renewals > renewals); // still trying to keep the lease
    store.down = false;
    await leases.drain();
    expect(leases.unsettled).toBe(0);
    expect(store.settled).toEqual([expect.objectContaining({ end: 'release', finished: ['A.a'] })]);
  });

  it('keeps a handler record it could not write and writes it with the outcome', async () => {
    const store = new FlakyStore();
    const leases = new EventLeases(store, settings);
    const { lease } = await leases.claim('k', 'job', { ttlMs: 1_000 }, () => 'event k');
    store.down = true;
    expect(await lease!.recordFinished('A.a', 1_000, 60)).toBe(false);
    store.down = false;
    expect(await lease!.recordFinished('B.b', 1_000, 60)).toBe(true);
    expect(await lease!.settle({ ...outcome, end: 'release' }, 1_000)).toBe(true);
    expect(store.recorded).toEqual(['B.b']);
    expect(store.settled[0]!.finished).toEqual(['A.a']);
  });

  it('gives up an unwritten outcome once shutdown has waited for it, and says so', async () => {
    const store = new FlakyStore();
    const leases = new EventLeases(store, { ...settings, shutdownTimeoutMs: 100 });
    const errors: string[] = [];
    jest
      .spyOn(leases.logger, 'error')
      .mockImplementation((message: unknown) => void errors.push(String(message)));
    const { lease } = await leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k');
    store.down = true;
    expect(await lease!.settle(outcome, 50)).toBe(false);
    await leases.drain();
    await until(() => leases.unsettled === 0);
    expect(errors).toEqual([expect.stringContaining('Shutting down with the outcome of event k unrecorded')]);
  });

  it('reports a lease taken over by another owner', async () => {
    const store = new FlakyStore();
    const leases = new EventLeases(store, settings);
    const errors: string[] = [];
    jest
      .spyOn(leases.logger, 'error')
      .mockImplementation((message: unknown) => void errors.push(String(message)));
    const { lease } = await leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k');
    store.held = false;
    await until(() => lease!.isLost);
    expect(lease!.isLost).toBe(true);
    expect(errors).toEqual([expect.stringContaining('Lost the lease of event k')]);
  });

  it('does not renew with a store without leases, which claims as it always did', async () => {
    const store = new MemoryIdempotencyStore(10);
    const renew = jest.spyOn(store, 'renewLease');
    const leases = new EventLeases(store, settings);
    const first = await leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k');
    expect(first.claim).toBe('claimed');
    expect((await leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k')).claim).toBe('in-flight');
    await sleep(60);
    expect(renew).not.toHaveBeenCalled();
    expect(await first.lease!.settle(outcome, 100)).toBe(true);
    expect((await leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k')).claim).toBe('done');
    expect((await leases.claim('k', 'job', { ttlMs: 1_000 }, () => 'event k')).claim).toBe('claimed');
  });
});

describe('a claim whose answer was lost', () => {
  it('is released with its token once the store answers, so it blocks no copy', async () => {
    const store = new FlakyStore();
    const leases = new EventLeases(store, settings);
    store.down = true;
    await expect(leases.claim('k', 'delivery', { ttlMs: 1_000 }, () => 'event k')).rejects.toThrow(
      'unreachable',
    );
    await until(() => leases.unsettled === 1);
    store.down = false;
    await leases.drain();
    expect(store.settled).toEqual([expect.objectContaining({ end: 'release', finished: [] })]);
  });
});
