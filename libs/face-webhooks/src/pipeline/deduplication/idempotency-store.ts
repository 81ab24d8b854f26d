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
 * Which lease of an event: `'delivery'` is the de-duplication claim a delivery takes (it ends
 * `done` or released); `'job'` is the one a queue worker holds while it runs the event's handlers
 * (it ends released). Both share the record of finished handlers.
 */
export type LeaseScope = 'delivery' | 'job';

/** How long a lease lasts and what it leaves behind. */
export interface LeaseTerms {
  /** How long the lease outlives its owner's last renewal, in ms. */
  readonly leaseMs: number;
  /**
   * How long an owner that stopped renewing (cut off from the store, or gone) is given, from when
   * another claim finds its lease run out, to renew it or write its outcome. Default `leaseMs`.
   */
  readonly graceMs?: number;
  /** How long the event is remembered (the `done` record, and the lease's own record), in ms. */
  readonly ttlMs: number;
  /** When the delivery stops authenticating (epoch ms), for stores with a size bound. */
  readonly keepUntilMs?: number;
  /** A store without leases claims for this long instead (`deduplicationInFlightTtlMs`). */
  readonly inFlightTtlMs: number;
}

/** How an owner ends its lease: the handlers that finished, and whether the event is done. */
export interface LeaseOutcome {
  /** `'done'`: handled (or queued), remembered for `doneTtlMs`; `'release'`: a later attempt may run. */
  readonly end: 'done' | 'release';
  /** Handlers that finished under this lease, recorded whatever happened to the lease. */
  readonly finished: readonly string[];
  /** How long the record of finished handlers is kept, in ms. */
  readonly recordTtlMs: number;
  /** For `end: 'done'`: how long the event is remembered as handled, in ms. */
  readonly doneTtlMs: number;
  /** For `end: 'done'`: when the delivery stops authenticating (epoch ms), for stores with a size bound. */
  readonly keepUntilMs?: number;
}

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

  /**
   * Whether the lease methods below are fenced: a claim carries its owner's token, lasts
   * `leaseMs` past its last renewal, and an owner that vanished with its outcome unrecorded is
   * given a grace period once the store is reachable again before another owner takes over. The
   * Redis store is; the defaults below fall back to `claim`, `complete` and `release` (a claim
   * then lasts `inFlightTtlMs`, and a job lease is always granted).
   */
  get fenced(): boolean {
    return false;
  }

  /** Takes the `scope` lease of `key` for `owner` (a token unique to this attempt). */
  claimLease(key: string, scope: LeaseScope, _owner: string, terms: LeaseTerms): Promise<IdempotencyClaim> {
    if (scope === 'job') return Promise.resolve('claimed');
    return this.claim(key, Math.min(terms.ttlMs, terms.inFlightTtlMs), terms.keepUntilMs);
  }

  /**
   * Extends `owner`'s lease by `leaseMs`; `false` when the lease is known lost (another owner has it,
   * or the event is done). Rejects when the store is unreachable.
   */
  renewLease(_key: string, _scope: LeaseScope, _owner: string, _terms: LeaseTerms): Promise<boolean> {
    return Promise.resolve(true);
  }

  /**
   * Records `outcome.finished` (always: a handler that finished did finish), then ends the lease
   * as `outcome.end` says if `owner` still holds it. `false` when another owner had taken it.
   */
  async settleLease(key: string, scope: LeaseScope, _owner: string, outcome: LeaseOutcome): Promise<boolean> {
    if (outcome.finished.length > 0) {
      await this.recordFinishedHandlers(key, outcome.finished, outcome.recordTtlMs);
    }
    if (scope === 'job') return true;
    if (outcome.end === 'done') await this.complete(key, outcome.doneTtlMs, outcome.keepUntilMs);
    else await this.release(key);
    return true;
  }

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
