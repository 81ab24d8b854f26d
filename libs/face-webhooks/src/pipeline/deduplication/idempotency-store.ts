/**
 * What a claim found:
 * - `claimed`: nobody had this event; the caller now owns it and must `complete` or `release` it.
 * - `resumed`: claimed too, but an earlier attempt recorded handlers that finished
 *   (`finishedHandlers`); those are not run again.
 * - `in-flight`: another delivery of the same event is being handled right now.
 * - `done`: the event was handled; this delivery is a duplicate.
 */
export type IdempotencyClaim = 'claimed' | 'resumed' | 'in-flight' | 'done';

/**
 * Remembers which events were handled, so a re-delivered event does not run its handlers twice.
 * The module's `deduplicationStore` option picks {@link MemoryIdempotencyStore} (the default) or
 * the Redis store; it is injectable under this class, for monitoring and tests.
 *
 * `claim` is atomic: of two concurrent claims of one key, one gets `claimed` (or `resumed`).
 *
 * Besides whole events it remembers single handlers: when one handler of an event fails and the
 * others succeed, the succeeded ones are recorded before the event is released, and the retry runs
 * only the rest. A claim that finds such records answers `resumed`.
 */
export abstract class FaceWebhookIdempotencyStore {
  /**
   * Atomically takes `key` for `ttlMs` unless it is already in flight or done. `keepUntilMs` (epoch
   * ms) is when the delivery stops authenticating: a store with a size bound never drops the entry
   * before then (the receiver makes `ttlMs` reach at least that far).
   */
  abstract claim(key: string, ttlMs: number, keepUntilMs?: number): Promise<IdempotencyClaim>;
  /** Marks a claimed key as handled, remembered for `ttlMs` (and kept until `keepUntilMs`). */
  abstract complete(key: string, ttlMs: number, keepUntilMs?: number): Promise<void>;
  /** Forgets a claimed key after its handling failed, so the provider's retry runs the handlers. */
  abstract release(key: string): Promise<void>;
  /** Records that these handlers finished for `key`, remembered for `ttlMs`. */
  abstract recordFinishedHandlers(key: string, handlers: readonly string[], ttlMs: number): Promise<void>;
  /** The handlers recorded as finished for `key`. */
  abstract finishedHandlers(key: string): Promise<ReadonlySet<string>>;

  /** Resolves when the store can be used now, rejects with the reason when not (health checks). */
  ping(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The memory store is full of entries it may not evict yet: deliveries that could still pass
 * authentication, whose records a replay must find. The delivery gets 503 and is retried later.
 */
export class IdempotencyStoreFullError extends Error {
  constructor(readonly maxEntries: number) {
    super(
      `The de-duplication store holds ${maxEntries} events still inside their replay window; ` +
        `raise deduplicationMaxEntries or use deduplicationStore: 'redis'`,
    );
  }
}
