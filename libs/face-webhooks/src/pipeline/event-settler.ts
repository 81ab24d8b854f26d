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
import {
  FaceWebhookIdempotencyStore,
  IdempotencyStoreFullError,
  type IdempotencyClaim,
} from './deduplication/idempotency-store.js';
import { noteHandlerFailures } from '../observability/face-webhooks.telemetry.js';
import { eventLabel, stackOf, type ParsedDelivery, type WebhookAck } from './delivery.js';
import { deduplicationKey } from './face-event.factory.js';
import { HandlerRecordUnavailableError, HandlerRuns } from './handlers/handler-runs.js';
import { InFlightDeliveries } from './in-flight-deliveries.js';

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
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
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
      let claim: IdempotencyClaim;
      try {
        claim = await this.store.claim(key, Math.min(ttlMs, this.settings.inFlightTtlMs), freshUntilMs);
      } catch (error) {
        if (error instanceof IdempotencyStoreFullError) throw this.storeFull(error);
        throw this.storeUnavailable(event, error);
      }
      if (claim === 'done') return { received: true, duplicate: true };
      if (claim === 'in-flight') {
        // Another copy is being handled now. Not acknowledging this one means that, if that copy
        // fails, the provider's retry still gets the event handled.
        throw new RetryLaterException('The same event is being handled; retry later');
      }

      const queued = this.settings.deliveryModes[provider.name] === 'queued';
      try {
        if (queued) {
          await this.enqueue(event);
        } else {
          // Inline: when some handlers fail, the provider's retry runs only those (`resumed`).
          const failures = await this.handlers.run(event, {
            resume: claim === 'resumed',
            record: 'on-failure',
            recordTtlMs: ttlMs,
          });
          if (failures.length > 0) {
            noteHandlerFailures(failures);
            throw new InternalServerErrorException('A webhook handler failed; the delivery can be retried');
          }
        }
      } catch (error) {
        await this.store.release(key).catch((releaseError: unknown) => {
          this.logger.error(`Could not release ${eventLabel(event)}`, stackOf(releaseError));
        });
        throw error instanceof HandlerRecordUnavailableError
          ? this.storeUnavailable(event, error.cause)
          : error;
      }
      try {
        await this.store.complete(key, ttlMs, freshUntilMs);
      } catch (error) {
        // Handled or queued already: a 5xx now would make the provider deliver the event again.
        this.logger.error(`Could not mark ${eventLabel(event)} as settled`, stackOf(error));
      }
      return queued ? { received: true, queued: true } : { received: true };
    } finally {
      this.inFlight.end();
    }
  }

  /** Stops acknowledging new deliveries and waits (up to `shutdownTimeoutMs`) for those in flight. */
  beforeApplicationShutdown(): Promise<void> {
    return this.inFlight.drain(this.settings.shutdownTimeoutMs, this.logger);
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
