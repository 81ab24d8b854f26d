import { MemoryIdempotencyStore } from './memory-idempotency-store.js';

describe('MemoryIdempotencyStore', () => {
  it('moves a key from claimed to in-flight to done', async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.claim('k', 1000)).toBe('claimed');
    expect(await store.claim('k', 1000)).toBe('in-flight');
    await store.complete('k', 1000);
    expect(await store.claim('k', 1000)).toBe('done');
  });

  it('forgets a released key so the retry can claim it', async () => {
    const store = new MemoryIdempotencyStore();
    await store.claim('k', 1000);
    await store.release('k');
    expect(await store.claim('k', 1000)).toBe('claimed');
  });

  it('answers resumed to the claim after a release that recorded finished handlers', async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.claim('k', 1000)).toBe('claimed');
    await store.recordFinishedHandlers('k', ['A.a', 'B.b'], 1000);
    await store.release('k');
    expect(await store.claim('k', 1000)).toBe('resumed');
    expect([...(await store.finishedHandlers('k'))].sort()).toEqual(['A.a', 'B.b']);
    expect(await store.finishedHandlers('other')).toEqual(new Set());
    await store.complete('k', 1000);
    expect(await store.finishedHandlers('k')).toEqual(new Set());
  });

  it('forgets recorded handlers after their TTL', async () => {
    const store = new MemoryIdempotencyStore();
    await store.recordFinishedHandlers('k', ['A.a'], 60);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.claim('k', 1000)).toBe('claimed');
    expect(await store.finishedHandlers('k')).toEqual(new Set());
  });

  it('forgets a done key after its TTL', async () => {
    const store = new MemoryIdempotencyStore();
    await store.claim('k', 60);
    await store.complete('k', 60);
    expect(await store.claim('k', 60)).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.claim('k', 60)).toBe('claimed');
  });

  it('stays within maxEntries, dropping the least recently used', async () => {
    const store = new MemoryIdempotencyStore(3);
    for (const key of ['a', 'b', 'c', 'd']) await store.claim(key, 60_000);
    expect(store.size).toBe(3);
    expect(await store.claim('a', 60_000)).toBe('claimed');
    expect(await store.claim('d', 60_000)).toBe('in-flight');
  });
});
