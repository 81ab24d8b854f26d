import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FaceEvent } from '../../contracts/face-event.interface.js';
import { FaceWebhookIdempotencyStore } from '../deduplication/idempotency-store.js';
import { retryFor, type EventLease } from '../deduplication/event-leases.js';
import { deduplicationKey } from '../face-event.factory.js';
import { eventLabel, stackOf } from '../delivery.js';
import { FaceEventDispatcher, type HandlerOutcome } from './face-event-dispatcher.js';

/** How one run of an event's handlers reads and writes the record of which of them finished. */
export interface HandlerRunPolicy {
  /** Read that record first and skip who finished: always for a queued job, for a `resumed` claim inline. */
  readonly resume: boolean;
  /**
   * `'each'`: record every handler the moment it finishes (a queued job: nothing later runs a
   * recorded handler again, whatever happens to this worker). `'on-failure'`: record nothing
   * during the run (inline: the common delivery, all handlers succeeding, costs no write); the
   * caller settles the lease with the finished handlers.
   */
  readonly record: 'each' | 'on-failure';
  /** How long the record is kept, in ms. */
  readonly recordTtlMs: number;
  /** The lease under which the handlers run: it keeps what could not be recorded yet. */
  readonly lease: EventLease;
  /** What failure logs add, e.g. `attempt 2 of 5`. */
  readonly attempt?: string;
}

/**
 * What one run did: the handlers that failed (already logged) and, when some failed, those that
 * finished (when none failed, `finished` is empty: the event is done as a whole).
 */
export interface HandlerRunResult {
  readonly failures: readonly HandlerOutcome[];
  readonly finished: readonly string[];
}

/** The record of finished handlers could not be read: the run did not start. */
export class HandlerRecordUnavailableError extends Error {
  override readonly name = 'HandlerRecordUnavailableError';
}

/** Every handler finished: the caller records the event as done, not each handler. */
const ALL_FINISHED: HandlerRunResult = { failures: [], finished: [] };

/** How long a queued run keeps trying to read the record, or write one, while the store is unreachable. */
export const RECORD_RETRY_MS = 30_000;
/** How long a queued run waits for one handler's record before going on (the lease keeps it). */
const RECORD_EACH_WAIT_MS = 2_000;

/**
 * The one place an event's `@OnFaceEvent` handlers are run and recorded, inline and in the queue's
 * worker alike: handlers that finished on an earlier attempt are skipped, each failure is logged
 * with its handler's name, and what finished is reported (and, for a queued job, recorded at once)
 * so a retry runs only the rest.
 */
@Injectable()
export class HandlerRuns {
  private readonly logger = new Logger('FaceWebhooks');

  constructor(
    private readonly dispatcher: FaceEventDispatcher,
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
  ) {}

  /**
   * Runs the handlers of `event`. Throws {@link HandlerRecordUnavailableError} when the record could
   * not be read, before any handler ran.
   */
  async run(event: FaceEvent, policy: HandlerRunPolicy): Promise<HandlerRunResult> {
    // Key and label are made only when needed: the common delivery (every handler succeeding
    // inline) needs neither, and each string or closure made per delivery shows in bench/receive.mjs.
    const persistent = policy.record === 'each';
    let skip: ReadonlySet<string> | undefined;
    if (policy.resume) {
      const key = deduplicationKey(event);
      const read = persistent
        ? await retryFor(RECORD_RETRY_MS, () => this.store.finishedHandlers(key))
        : await this.store.finishedHandlers(key).catch(() => undefined);
      if (!read) {
        throw new HandlerRecordUnavailableError(
          `record of ${eventLabel(event)}'s finished handlers unavailable`,
        );
      }
      skip = read;
    }
    const outcomes = await this.dispatcher.dispatch(
      event,
      persistent
        ? {
            skip,
            onFinished: async (handler) => {
              await policy.lease.recordFinished(handler, policy.recordTtlMs, RECORD_EACH_WAIT_MS);
            },
          }
        : skip && { skip },
    );
    let failures: HandlerOutcome[] | undefined;
    for (const outcome of outcomes) if ('error' in outcome) (failures ??= []).push(outcome);
    if (!failures) return ALL_FINISHED;
    const attempt = policy.attempt ? ` (${policy.attempt})` : '';
    for (const failure of failures) {
      this.logger.error(
        `Handler ${failure.handler} failed for ${eventLabel(event)}${attempt}`,
        stackOf(failure.error),
      );
    }
    const finished = outcomes.filter((outcome) => !('error' in outcome)).map(({ handler }) => handler);
    return { failures, finished };
  }
}
