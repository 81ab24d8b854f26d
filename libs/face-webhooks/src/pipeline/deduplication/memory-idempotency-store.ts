import { LRUCache } from 'lru-cache';
import {
  FaceWebhookIdempotencyStore,
  IdempotencyStoreFullError,
  type IdempotencyClaim,
} from './idempotency-store.js';

/**
 * An entry is one number, to keep the store small: its magnitude is 1 + the epoch ms until which
 * the entry must not be evicted (see `keepUntilMs`), its sign the state (negative: in flight).
 */
type Entry = number;
const encode = (state: 'in-flight' | 'done', keepUntilMs: number): Entry =>
  state === 'done' ? keepUntilMs + 1 : -(keepUntilMs + 1);
const stateOf = (entry: Entry): 'in-flight' | 'done' => (entry < 0 ? 'in-flight' : 'done');
const keepUntilOf = (entry: Entry): number => Math.abs(entry) - 1;

/** How many of the least recently used entries a full store looks at for one it may evict. */
const EVICTION_SCAN = 32;

/**
 * In-process store: bounded to `maxEntries`, with a TTL per entry. Enough for one instance; several
 * instances behind a load balancer need a shared store.
 *
 * A full store evicts the least recently used entry only if that delivery could no longer pass
 * authentication (its `keepUntilMs` has passed) and it is not in flight; otherwise it refuses the
 * claim (`IdempotencyStoreFullError`, answered 503 so the provider retries later). Evicting
 * any entry, as a plain LRU does, let a flood of genuine deliveries push out the record of a
 * captured one still inside its signature window, which then replayed.
 */
export class MemoryIdempotencyStore extends FaceWebhookIdempotencyStore {
  private readonly entries: LRUCache<string, Entry>;
  /** Handlers that finished for events whose other handlers failed (rare, so kept apart). */
  private readonly finished: LRUCache<string, Set<string>>;

  constructor(private readonly maxEntries = 100_000) {
    super();
    // The cache reads the clock at most every 100 ms (its default, 1 ms, put a new timer in place
    // every millisecond under steady traffic; reading it on every call cost about as much). A record
    // may so expire up to 100 ms early or late: far inside the second every TTL adds to the time
    // its delivery could still authenticate (see `settleEvent`).
    const options = { max: maxEntries, ttlAutopurge: false, ttlResolution: 100 };
    this.entries = new LRUCache<string, Entry>(options);
    this.finished = new LRUCache<string, Set<string>>(options);
  }

  claim(key: string, ttlMs: number, keepUntilMs = 0): Promise<IdempotencyClaim> {
    const entry = this.entries.get(key);
    if (entry !== undefined) return Promise.resolve(stateOf(entry));
    if (!this.makeRoom()) return Promise.reject(new IdempotencyStoreFullError(this.maxEntries));
    this.entries.set(key, encode('in-flight', keepUntilMs), { ttl: ttlMs });
    return Promise.resolve(this.finished.size > 0 && this.finished.has(key) ? 'resumed' : 'claimed');
  }

  complete(key: string, ttlMs: number, keepUntilMs = 0): Promise<void> {
    // The claim's entry is normally still here (in-flight entries are not evicted); if its TTL ran
    // out meanwhile and the store is full of protected entries, this record is dropped rather than
    // one of theirs.
    if (this.entries.has(key) || this.makeRoom()) {
      this.entries.set(key, encode('done', keepUntilMs), { ttl: ttlMs });
    }
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

  /**
   * `true` when one more entry fits, after evicting one that may go, if needed. It looks at the
   * least recently used entries; those it may not evict yet get a second chance (moved to the
   * front), so the next look sees others and evictable entries deeper in the list are found.
   */
  private makeRoom(): boolean {
    if (this.entries.size < this.maxEntries) return true;
    const now = Date.now();
    let evictable: string | undefined;
    let kept: string[] | undefined;
    // One entry at a time, stopping at the first that may go (usually the oldest): once the store
    // is full, which a busy app's is all the time, every new event comes through here.
    for (const key of this.entries.rkeys()) {
      const entry = this.entries.peek(key); // undefined once its TTL has passed
      if (entry === undefined || (stateOf(entry) === 'done' && keepUntilOf(entry) <= now)) {
        evictable = key;
        break;
      }
      (kept ??= []).push(key);
      if (kept.length >= EVICTION_SCAN) break;
    }
    // After the walk: moving an entry to the front changes the order being walked.
    if (kept) for (const key of kept) this.entries.get(key);
    if (evictable === undefined) return false;
    this.entries.delete(evictable);
    return true;
  }
}
