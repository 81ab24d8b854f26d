import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  Optional,
} from '@nestjs/common';
import { FaceEventQueue } from '../contracts/face-event-queue.interface.js';
import type { FaceEvent } from '../contracts/face-event.interface.js';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../contracts/face-webhooks.tokens.js';
import { RetryLaterException } from '../contracts/retry-later.exception.js';
import { IdempotencyStoreFullError } from './deduplication/idempotency-store.js';
import { noteHandlerFailures } from '../observability/face-webhooks.telemetry.js';
import { eventLabel, stackOf, type ParsedDelivery, type WebhookAck } from './delivery.js';
import { deduplicationKey } from './face-event.factory.js';
import { HandlerRecordUnavailableError, HandlerRuns } from './handlers/handler-runs.js';
import { EventLeases } from './deduplication/event-leases.js';
import { InFlightDeliveries } from './in-flight-deliveries.js';

/**
 * How long a delivery waits for its outcome to be written before answering: a store that is down
 * answers at once (fail fast), so this covers a failover; the rest is written in the background.
 */
const SETTLE_WAIT_MS = 1_000;

/**
 * Stage three: an authenticated, validated event claimed by its id (a repeat is answered as a
 * duplicate), then handled (inline) or queued, and only then acknowledged. Failures are 503 (retry
 * later: the same event in flight, a store or the queue unreachable, shutting down) or 500 (a
 * handler failed), so the provider retries.
 */
@Injectable()
export class EventSettler implements BeforeApplicationShutdown {
  private readonly logger = new Logger('FaceWebhooks');
  private readonly inFlight = new InFlightDeliveries();
  private lastStoreFullLog = 0;

  constructor(
    private readonly handlers: HandlerRuns,
    private readonly leases: EventLeases,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
    @Optional() @Inject(FaceEventQueue) private readonly queue?: FaceEventQueue,
  ) {}

  /**
   * Settles one event. Its record is remembered at least until `freshUntilMs`, when the delivery
   * stops authenticating, so a replay is either refused as stale or found as a duplicate.
   */
  async settle({ provider, event, freshUntilMs }: ParsedDelivery): Promise<WebhookAck> {
    // Counted here, around the whole body, not by an async wrapper around another method: the
    // wrapper's extra promise cost 430 bytes per delivery (bench/receive.mjs).
    this.inFlight.begin();
    try {
      const key = deduplicationKey(event);
      const ttlMs = Math.max(provider.deduplicationTtlMs, freshUntilMs - Date.now() + 1_000);
      let claimed: Awaited<ReturnType<EventLeases['claim']>>;
      try {
        claimed = await this.leases.claim(key, 'delivery', { ttlMs, keepUntilMs: freshUntilMs }, () =>
          eventLabel(event),
        );
      } catch (error) {
        if (error instanceof IdempotencyStoreFullError) throw this.storeFull(error);
        throw this.storeUnavailable(event, error);
      }
      const { claim, lease } = claimed;
      if (claim === 'done') return { received: true, duplicate: true };
      if (!lease) {
        // Another copy is being handled now. Not acknowledging this one means that, if that copy
        // fails, the provider's retry still gets the event handled.
        throw new RetryLaterException('The same event is being handled; retry later');
      }

      const queued = this.settings.deliveryModes[provider.name] === 'queued';
      const outcome = { recordTtlMs: ttlMs, doneTtlMs: ttlMs, keepUntilMs: freshUntilMs };
      try {
        if (queued) {
          await this.enqueue(event);
        } else {
          // Inline: when some handlers fail, the provider's retry runs only those (`resumed`).
          const { failures, finished } = await this.handlers.run(event, {
            resume: claim === 'resumed',
            record: 'on-failure',
            recordTtlMs: ttlMs,
            lease,
          });
          if (failures.length > 0) {
            noteHandlerFailures(failures);
            // The finished ones are recorded with the release, so the retry skips them. If the
            // store cannot take that now, it is written as soon as it can, and until then this
            // instance keeps the event's lease: the retry waits (503) instead of running them again.
            void lease.settle({ ...outcome, end: 'release', finished }, SETTLE_WAIT_MS);
            throw new InternalServerErrorException('A webhook handler failed; the delivery can be retried');
          }
        }
      } catch (error) {
        if (!(error instanceof InternalServerErrorException)) {
          void lease.settle({ ...outcome, end: 'release' }, SETTLE_WAIT_MS);
        }
        throw error instanceof HandlerRecordUnavailableError
          ? this.storeUnavailable(event, error.cause)
          : error;
      }
      // Handled or queued already: acknowledged whatever the store says now (a 5xx would make the
      // provider deliver the event again). `done` is written as soon as the store takes it; until
      // then this instance keeps the lease, so a copy waits (503) and is then a duplicate.
      if (!(await lease.settle({ ...outcome, end: 'done' }, SETTLE_WAIT_MS))) {
        this.logger.warn(
          `Could not mark ${eventLabel(event)} as settled yet; retrying until the store answers`,
        );
      }
      return queued ? { received: true, queued: true } : { received: true };
    } finally {
      this.inFlight.end();
    }
  }

  /**
   * Stops acknowledging new deliveries and waits (up to `shutdownTimeoutMs`) for those in flight,
   * then for outcomes not written yet.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.drain(this.settings.shutdownTimeoutMs, this.logger);
    await this.leases.drain();
  }

  private async enqueue(event: FaceEvent): Promise<void> {
    try {
      await this.queue!.enqueue(event);
    } catch (error) {
      this.logger.error(`Could not queue ${eventLabel(event)}`, stackOf(error));
      throw new RetryLaterException('Webhook could not be queued; retry later');
    }
  }

  /** A full memory store: 503 (retry later), logged at most once a minute, since a flood causes it. */
  private storeFull(error: IdempotencyStoreFullError): RetryLaterException {
    const now = Date.now();
    if (now - this.lastStoreFullLog >= 60_000) {
      this.lastStoreFullLog = now;
      this.logger.warn(`${error.message}; deliveries get 503 until the oldest leave their window`);
    }
    return new RetryLaterException('Too many recent events to remember; retry later');
  }

  /** Logs a failed read of the de-duplication store; the delivery gets 503 (retry later). */
  private storeUnavailable(event: FaceEvent, error: unknown): RetryLaterException {
    this.logger.error(`De-duplication store unavailable for ${eventLabel(event)}`, stackOf(error));
    return new RetryLaterException('Webhook could not be recorded; retry later');
  }
}
