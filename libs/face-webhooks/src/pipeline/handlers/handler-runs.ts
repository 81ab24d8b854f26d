import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FaceEvent } from '../../contracts/face-event.interface.js';
import { FaceWebhookIdempotencyStore } from '../deduplication/idempotency-store.js';
import { deduplicationKey } from '../face-event.factory.js';
import { eventLabel, stackOf } from '../delivery.js';
import { FaceEventDispatcher, type HandlerOutcome } from './face-event-dispatcher.js';

/** How one run of an event's handlers reads and writes the record of which of them finished. */
export interface HandlerRunPolicy {
  /** Read that record first and skip who finished: always for a queued job, for a `resumed` claim inline. */
  readonly resume: boolean;
  /**
   * `'each'`: record every handler the moment it finishes, retrying through a store outage (a
   * queued job: nothing later runs a recorded handler again, whatever happens to this worker).
   * `'on-failure'`: record the finished ones once, only when another one failed (inline: the
   * common delivery, all handlers succeeding, costs no write).
   */
  readonly record: 'each' | 'on-failure';
  /** How long the record is kept, in ms. */
  readonly recordTtlMs: number;
  /** What failure logs add, e.g. `attempt 2 of 5`. */
  readonly attempt?: string;
}

/** The record of finished handlers could not be read: the run did not start. */
export class HandlerRecordUnavailableError extends Error {
  override readonly name = 'HandlerRecordUnavailableError';
}

const NONE: HandlerOutcome[] = [];

/** How long a queued run keeps trying to read or write the record while the store is unreachable. */
const RECORD_RETRY_MS = 30_000;

/**
 * The one place an event's `@OnFaceEvent` handlers are run and recorded, inline and in the queue's
 * worker alike: handlers that finished on an earlier attempt are skipped, each failure is logged
 * with its handler's name, and what finished is recorded so a retry runs only the rest.
 */
@Injectable()
export class HandlerRuns {
  private readonly logger = new Logger('FaceWebhooks');

  constructor(
    private readonly dispatcher: FaceEventDispatcher,
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
  ) {}

  /**
   * Runs the handlers of `event` and returns those that failed (already logged). Throws
   * {@link HandlerRecordUnavailableError} when the record could not be read, before any handler ran.
   */
  async run(event: FaceEvent, policy: HandlerRunPolicy): Promise<HandlerOutcome[]> {
    // Key and label are made only when needed: the common delivery (every handler succeeding
    // inline) needs neither, and each string or closure made per delivery shows in bench/receive.mjs.
    const persistent = policy.record === 'each';
    let skip: ReadonlySet<string> | undefined;
    if (policy.resume) {
      try {
        skip = persistent
          ? await retrying(() => this.store.finishedHandlers(deduplicationKey(event)))
          : await this.store.finishedHandlers(deduplicationKey(event));
      } catch (error) {
        throw new HandlerRecordUnavailableError(
          `record of ${eventLabel(event)}'s finished handlers unavailable`,
          { cause: error },
        );
      }
    }
    const outcomes = await this.dispatcher.dispatch(
      event,
      persistent
        ? {
            skip,
            onFinished: (handler) =>
              this.record(event, [handler], policy, 'a later run of the job runs it again'),
          }
        : skip && { skip },
    );
    let failures: HandlerOutcome[] | undefined;
    for (const outcome of outcomes) if ('error' in outcome) (failures ??= []).push(outcome);
    if (!failures) return NONE;
    const attempt = policy.attempt ? ` (${policy.attempt})` : '';
    for (const failure of failures) {
      this.logger.error(
        `Handler ${failure.handler} failed for ${eventLabel(event)}${attempt}`,
        stackOf(failure.error),
      );
    }
    if (!persistent) {
      const finished = outcomes.filter((outcome) => !('error' in outcome)).map(({ handler }) => handler);
      // If the store cannot take it, the retry runs them again: logged, as the one way a handler runs twice.
      if (finished.length > 0) await this.record(event, finished, policy, 'a retry runs them again');
    }
    return failures;
  }

  /** Never rejects: a record that cannot be written is logged, with what it means. */
  private async record(event: FaceEvent, handlers: string[], policy: HandlerRunPolicy, means: string) {
    const write = () =>
      this.store.recordFinishedHandlers(deduplicationKey(event), handlers, policy.recordTtlMs);
    try {
      await (policy.record === 'each' ? retrying(write) : write());
    } catch (error) {
      this.logger.error(
        `Could not record that ${handlers.join(', ')} finished for ${eventLabel(event)}; ${means}`,
        stackOf(error),
      );
    }
  }
}

/** Runs a store call, retrying with backoff while it fails, for up to `RECORD_RETRY_MS`. */
async function retrying<T>(call: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + RECORD_RETRY_MS;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1_000)) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() + delayMs > giveUpAt) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
