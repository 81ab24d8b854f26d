import { LRUCache } from 'lru-cache';
import { FaceWebhookIdempotencyStore, type IdempotencyClaim } from './idempotency-store.js';

type EntryState = 'in-flight' | 'done';

/**
 * In-process store: bounded (least recently used entries go first once `maxEntries` is reached) with
 * a TTL per entry. Enough for one instance; several instances behind a load balancer need a shared
 * store.
 */
export class MemoryIdempotencyStore extends FaceWebhookIdempotencyStore {
  private readonly entries: LRUCache<string, EntryState>;
  /** Handlers that finished for events whose other handlers failed (rare, so kept apart). */
  private readonly finished: LRUCache<string, Set<string>>;

  constructor(maxEntries = 100_000) {
    super();
    this.entries = new LRUCache<string, EntryState>({ max: maxEntries, ttlAutopurge: false });
    this.finished = new LRUCache<string, Set<string>>({ max: maxEntries, ttlAutopurge: false });
  }

  claim(key: string, ttlMs: number): Promise<IdempotencyClaim> {
    const state = this.entries.get(key);
    if (state) return Promise.resolve(state);
    this.entries.set(key, 'in-flight', { ttl: ttlMs });
    return Promise.resolve(this.finished.size > 0 && this.finished.has(key) ? 'resumed' : 'claimed');
  }

  complete(key: string, ttlMs: number): Promise<void> {
    this.entries.set(key, 'done', { ttl: ttlMs });
    if (this.finished.size > 0) this.finished.delete(key);
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  recordFinishedHandlers(key: string, handlers: readonly string[], ttlMs: number): Promise<void> {
    const set = this.finished.get(key) ?? new Set<string>();
    for (const handler of handlers) set.add(handler);
    this.finished.set(key, set, { ttl: ttlMs });
    return Promise.resolve();
  }

  finishedHandlers(key: string): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set(this.finished.get(key)));
  }

  /** Number of remembered events (in flight or done), for monitoring and tests. */
  get size(): number {
    return this.entries.size;
  }
}
