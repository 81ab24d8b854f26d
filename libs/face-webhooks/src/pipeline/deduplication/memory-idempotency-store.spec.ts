import { IdempotencyStoreFullError } from './idempotency-store.js';
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

  it('stays within maxEntries, dropping the least recently used of the events it may forget', async () => {
    const store = new MemoryIdempotencyStore(3);
    for (const key of ['a', 'b', 'c', 'd']) {
      await store.claim(key, 60_000);
      await store.complete(key, 60_000);
    }
    expect(store.size).toBe(3);
    expect(await store.claim('a', 60_000)).toBe('claimed');
    expect(await store.claim('d', 60_000)).toBe('done');
  });

  describe('a full store and deliveries still inside their replay window', () => {
    const inWindow = () => Date.now() + 600_000;

    it('never evicts an event a replay could still pass with; it refuses new ones instead', async () => {
      const store = new MemoryIdempotencyStore(3);
      for (const key of ['a', 'b', 'c']) {
        await store.claim(key, 60_000, inWindow());
        await store.complete(key, 60_000, inWindow());
      }
      await expect(store.claim('d', 60_000, inWindow())).rejects.toBeInstanceOf(IdempotencyStoreFullError);
      expect(await store.claim('a', 60_000)).toBe('done');
      expect(store.size).toBe(3);
    });

    it('never evicts an event in flight', async () => {
      const store = new MemoryIdempotencyStore(2);
      await store.claim('a', 60_000);
      await store.claim('b', 60_000);
      await expect(store.claim('c', 60_000)).rejects.toBeInstanceOf(IdempotencyStoreFullError);
      await store.complete('a', 60_000);
      expect(await store.claim('c', 60_000)).toBe('claimed');
      expect(await store.claim('b', 60_000)).toBe('in-flight');
    });

    it('evicts an event whose window has passed, even behind protected ones', async () => {
      const store = new MemoryIdempotencyStore(3);
      await store.claim('protected', 60_000, inWindow());
      await store.complete('protected', 60_000, inWindow());
      await store.claim('passed', 60_000, Date.now() - 1);
      await store.complete('passed', 60_000, Date.now() - 1);
      await store.claim('protected-2', 60_000, inWindow());
      await store.complete('protected-2', 60_000, inWindow());
      expect(await store.claim('new', 60_000, inWindow())).toBe('claimed');
      expect(store.size).toBe(3);
      expect(await store.claim('protected', 60_000)).toBe('done');
      expect(await store.claim('protected-2', 60_000)).toBe('done');
      // 'passed' was the one forgotten: claiming it again needs room, and none may be made now.
      await expect(store.claim('passed', 60_000)).rejects.toBeInstanceOf(IdempotencyStoreFullError);
    });

    it('looks at no more than 32 of the oldest per claim, and finds an evictable one deeper later', async () => {
      // 40 protected records, oldest first, then one whose window has passed: 41st from the end.
      const store = new MemoryIdempotencyStore(41);
      for (let i = 0; i < 40; i++) {
        await store.claim(`p${i}`, 60_000, inWindow());
        await store.complete(`p${i}`, 60_000, inWindow());
      }
      await store.claim('passed', 60_000, Date.now() - 1);
      await store.complete('passed', 60_000, Date.now() - 1);
      // Newest last: 'passed' is the most recently used, beyond the 32 the first claim looks at.
      await expect(store.claim('new', 60_000, inWindow())).rejects.toBeInstanceOf(IdempotencyStoreFullError);
      // Those 32 got a second chance (moved to the front): the next look reaches 'passed'.
      expect(await store.claim('new', 60_000, inWindow())).toBe('claimed');
      expect(store.size).toBe(41);
      for (let i = 0; i < 40; i++) expect(await store.claim(`p${i}`, 60_000)).toBe('done');
    });

    it('under a flood of distinct events, holds its bound and keeps every protected record', async () => {
      const max = 10_000;
      const store = new MemoryIdempotencyStore(max);
      let refused = 0;
      const protectedAccepted: string[] = [];
      for (let i = 0; i < 3 * max; i++) {
        const key = `e${i}`;
        const keepUntil = i % 2 === 0 ? inWindow() : 0; // half of them could still be replayed
        try {
          await store.claim(key, 60_000, keepUntil);
          await store.complete(key, 60_000, keepUntil);
          if (keepUntil) protectedAccepted.push(key);
        } catch (error) {
          expect(error).toBeInstanceOf(IdempotencyStoreFullError);
          refused++;
        }
        expect(store.size).toBeLessThanOrEqual(max);
      }
      // Every protected event that was accepted is still remembered: its replay is a duplicate.
      for (const key of protectedAccepted) expect(await store.claim(key, 60_000)).toBe('done');
      expect(protectedAccepted).toHaveLength(max);
      expect(refused).toBeGreaterThan(0);
    });
  });
});
