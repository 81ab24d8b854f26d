import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../../contracts/face-webhooks.tokens.js';
import {
  FaceWebhookIdempotencyStore,
  type IdempotencyClaim,
  type LeaseOutcome,
  type LeaseScope,
  type LeaseTerms,
} from './idempotency-store.js';

/**
 * The shortest grace period: an owner cut off from the store needs its client to reconnect (every
 * half second at most, see `connectFailFast`) and one retry to renew its lease.
 */
const MIN_GRACE_MS = 5_000;

/** Retry delays while the store is unreachable: from 50 ms, doubling, to at most this. */
const MAX_RETRY_DELAY_MS = 500;

/**
 * One owner's hold on an event (see {@link EventLeases}). While it is held it is renewed every
 * quarter of `leaseMs`; once its outcome is written ({@link settle}) it is let go. An outcome that
 * cannot be written is kept here and written as soon as the store answers again, and until then
 * the lease keeps being renewed, so no other owner starts the handlers this one ran.
 */
export class EventLease {
  /** Handlers that finished under this lease and are not recorded yet. */
  private readonly unrecorded = new Set<string>();
  private heartbeat?: NodeJS.Timeout;
  private renewing = false;
  private lost = false;
  private ended = false;
  private withdrawn = false;

  constructor(
    private readonly leases: EventLeases,
    readonly key: string,
    readonly scope: LeaseScope,
    readonly owner: string,
    private readonly terms: LeaseTerms,
    private readonly label: () => string,
  ) {
    // A store without leases has nothing to renew.
    if (leases.store.fenced) this.scheduleRenewal(terms.leaseMs / 4);
  }

  /** The lease was found taken by another owner (logged once). */
  get isLost(): boolean {
    return this.lost;
  }

  /**
   * Records that `handler` finished, retrying while the store is unreachable for up to `waitMs`;
   * `false` if it is not recorded yet (it stays pending: {@link settle} writes it).
   */
  async recordFinished(handler: string, recordTtlMs: number, waitMs: number): Promise<boolean> {
    this.unrecorded.add(handler);
    const store = this.leases.store;
    const written = await retryFor(waitMs, () =>
      store.recordFinishedHandlers(this.key, [handler], recordTtlMs).then(() => true),
    );
    if (written) this.unrecorded.delete(handler);
    return written === true;
  }

  /**
   * Writes the outcome (the finished handlers, and `done` or released) with the owner's token and
   * lets the lease go. Resolves `true` once written, or `false` after `waitMs` if the store is still
   * unreachable: it is then written in the background, as soon as the store answers, while the
   * lease keeps being renewed (and shutdown waits for it).
   */
  async settle(
    outcome: Omit<LeaseOutcome, 'finished'> & { finished?: readonly string[] },
    waitMs: number,
  ): Promise<boolean> {
    for (const handler of outcome.finished ?? []) this.unrecorded.add(handler);
    const write = async (): Promise<true> => {
      const ours = await this.leases.store.settleLease(this.key, this.scope, this.owner, {
        ...outcome,
        finished: [...this.unrecorded],
      });
      this.unrecorded.clear();
      this.ended = true;
      this.stop();
      // Another owner took the event over: the records written still tell it what finished here.
      if (!ours && !this.lost) this.markLost();
      return true;
    };
    try {
      return await write(); // the common case: no timer, nothing kept
    } catch {
      // unreachable now: written in the background, and the lease kept meanwhile
    }
    const settled = retryFor(Infinity, write, () => this.leases.stopping).then((done) => {
      if (!done) {
        this.stop();
        if (!this.withdrawn) {
          this.leases.logger.error(
            `Shutting down with the outcome of ${this.label()} unrecorded ` +
              `(handlers finished and not recorded: ${[...this.unrecorded].join(', ') || 'none'}); ` +
              'once its lease runs out, another instance may run its handlers again',
          );
        }
      }
      return done === true;
    });
    this.leases.track(settled);
    return raceTimeout(settled, waitMs);
  }

  /** Releases a claim whose answer was lost, quietly: this owner never ran anything under it. */
  withdraw(): void {
    this.stop();
    this.withdrawn = true;
    this.lost = true; // nothing to report if another owner has it
    void this.settle({ end: 'release', recordTtlMs: this.terms.ttlMs, doneTtlMs: this.terms.ttlMs }, 0);
  }

  /** Stops renewing (the lease then runs out in `leaseMs`); for callers that never settle. */
  stop(): void {
    clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
  }

  private scheduleRenewal(delayMs: number): void {
    this.heartbeat = setTimeout(() => void this.renew(), delayMs);
    this.heartbeat.unref();
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.heartbeat === undefined) return;
    this.renewing = true;
    let next = this.terms.leaseMs / 4;
    try {
      const held = await this.leases.store.renewLease(this.key, this.scope, this.owner, this.terms);
      if (!held) {
        if (!this.ended) this.markLost();
        this.stop();
        return;
      }
    } catch {
      // Unreachable: try again soon, so the lease is back in hand moments after the store is.
      next = Math.min(next, MAX_RETRY_DELAY_MS);
    } finally {
      this.renewing = false;
    }
    if (this.heartbeat !== undefined) this.scheduleRenewal(next);
  }

  private markLost(): void {
    this.lost = true;
    this.leases.logger.error(
      `Lost the lease of ${this.label()} to another owner while handling it (cut off from the ` +
        `store for longer than two lease periods): its handlers may run again there`,
    );
  }
}

/**
 * Fenced ownership of events. A delivery (inline or before queueing) and a queue worker each take
 * a lease with a token of their own; see `FaceWebhookIdempotencyStore.claimLease`. Keeps every
 * outcome not yet written, so that shutdown can wait for them ({@link drain}).
 */
@Injectable()
export class EventLeases {
  readonly logger = new Logger('FaceWebhooks');
  private readonly pending = new Set<Promise<boolean>>();
  stopping = false;

  constructor(
    @Inject(FaceWebhookIdempotencyStore) readonly store: FaceWebhookIdempotencyStore,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
  ) {}

  /**
   * Claims the `scope` lease of `key`. On `claimed` or `resumed` the lease is returned, renewed until
   * settled. Rejects when the store is unreachable.
   */
  async claim(
    key: string,
    scope: LeaseScope,
    terms: Omit<LeaseTerms, 'leaseMs' | 'graceMs' | 'inFlightTtlMs'>,
    label: () => string,
  ): Promise<{ claim: IdempotencyClaim; lease?: EventLease }> {
    // A store without leases needs no token (and the memory store's deliveries make none).
    const owner = this.store.fenced ? randomUUID() : '';
    const full: LeaseTerms = {
      ...terms,
      leaseMs: this.settings.leaseMs,
      graceMs: Math.max(this.settings.leaseMs, MIN_GRACE_MS),
      inFlightTtlMs: this.settings.inFlightTtlMs,
    };
    let claim: IdempotencyClaim;
    try {
      claim = await this.store.claimLease(key, scope, owner, full);
    } catch (error) {
      // The claim may have reached the store with only its answer lost (Redis went down, or a
      // failover, in between): it is released with its token once the store answers, instead of
      // blocking every copy until it runs out. Nothing happens if it never landed.
      if (this.store.fenced) new EventLease(this, key, scope, owner, full, label).withdraw();
      throw error;
    }
    if (claim !== 'claimed' && claim !== 'resumed') return { claim };
    return { claim, lease: new EventLease(this, key, scope, owner, full, label) };
  }

  /** How long a lease outlives its owner's last renewal. */
  get leaseMs(): number {
    return this.settings.leaseMs;
  }

  track(settled: Promise<boolean>): void {
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }

  /** Outcomes not written yet. */
  get unsettled(): number {
    return this.pending.size;
  }

  /**
   * On shutdown, once no new lease is taken: waits, up to `shutdownTimeoutMs`, for outcomes still
   * unwritten; then stops retrying them (each is logged).
   */
  async drain(): Promise<void> {
    if (this.pending.size > 0) {
      this.logger.log(`Shutting down: writing the outcome of ${this.pending.size} event(s)`);
      await raceTimeout(Promise.all(this.pending), this.settings.shutdownTimeoutMs);
    }
    this.stopping = true;
  }
}

/**
 * Calls `call` until it resolves, retrying with backoff while it rejects, for up to `waitMs`
 * (`Infinity`: until `cancelled()`). Resolves its value, or `undefined` if it never succeeded.
 */
export async function retryFor<T>(
  waitMs: number,
  call: () => Promise<T>,
  cancelled: () => boolean = () => false,
): Promise<T | undefined> {
  const giveUpAt = Date.now() + waitMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS)) {
    try {
      return await call();
    } catch {
      if (Date.now() + delayMs > giveUpAt || cancelled()) return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
  }
}

/** `promise`'s value, or `false` if it takes longer than `ms`. */
function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
