import {
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { FaceEventDispatcher } from './events/face-event-dispatcher.js';
import type { FaceEvent } from './events/face-event.interface.js';
import { FaceWebhookProviderRegistry } from './face-webhook-provider.registry.js';
import { validateDto } from './http/dto-validation.js';
import { parseJsonObject } from './http/json-body.js';
import { findRawBody, toWebhookRequest } from './http/raw-body.js';
import { FaceWebhookIdempotencyStore, type IdempotencyClaim } from './idempotency/idempotency-store.js';
import { RetryLaterException } from './retry-later.exception.js';
import type { FaceWebhookProvider } from './webhook-provider.interface.js';

/** The response body of an accepted delivery. */
export interface WebhookAck {
  readonly received: true;
  /** Present when this delivery repeated an event that was already handled. */
  readonly duplicate?: true;
}

/**
 * One delivery, start to finish: authenticate the raw request, parse and validate the body, claim
 * the event id, run the handlers, then acknowledge. Every failure a sender can cause is a 4xx;
 * a 5xx means the provider should retry.
 */
@Injectable()
export class FaceWebhookReceiver {
  private readonly logger = new Logger('FaceWebhooks');

  constructor(
    private readonly registry: FaceWebhookProviderRegistry,
    private readonly dispatcher: FaceEventDispatcher,
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
  ) {}

  async receive(providerName: string, request: object): Promise<WebhookAck> {
    const provider = this.registry.get(providerName.toLowerCase());
    const rawBody = findRawBody(request);
    const webhookRequest = toWebhookRequest(request, rawBody ?? Buffer.alloc(0));
    // A provider that is not enabled has no route; neither has a path the raw-body reader did not
    // recognise (say, percent-encoded), since its bytes were not kept.
    if (!provider || !rawBody) throw new NotFoundException(`Cannot POST ${webhookRequest.url}`);

    this.check(provider, provider.authenticate(webhookRequest));
    const body = parseJsonObject(rawBody);
    const data = validateDto(provider.selectDto?.(body) ?? provider.dto, body);
    if (provider.authorize) this.check(provider, provider.authorize(data));

    const description = provider.describe(data, rawBody);
    const receivedAt = new Date();
    const event: FaceEvent = {
      provider: provider.name,
      type: `${provider.name}.${description.type}`,
      id: description.id,
      occurredAt: description.occurredAt ?? receivedAt,
      receivedAt,
      data,
      raw: rawBody,
    };
    if (!provider.isKnownType(description.type)) {
      this.logger.warn(
        `Unknown event type ${event.type} (${event.id}) accepted; only wildcard handlers receive it`,
      );
    }
    return this.handleOnce(event, provider.deduplicationTtlMs);
  }

  private check(
    provider: FaceWebhookProvider,
    result: ReturnType<FaceWebhookProvider['authenticate']>,
  ): void {
    if (result.ok) return;
    this.logger.warn(`Rejected ${provider.name} delivery: ${result.reason}`);
    throw new UnauthorizedException();
  }

  private async handleOnce(event: FaceEvent, ttlMs: number): Promise<WebhookAck> {
    const key = `${event.provider}:${event.id}`;
    let claim: IdempotencyClaim;
    try {
      claim = await this.store.claim(key, ttlMs);
    } catch (error) {
      this.logger.error(`De-duplication store unavailable for ${event.type} ${event.id}`, stackOf(error));
      throw new RetryLaterException('Webhook could not be recorded; retry later');
    }
    if (claim === 'done') return { received: true, duplicate: true };
    if (claim === 'in-flight') {
      // Another copy is being handled now. Not acknowledging this one means that, if that copy
      // fails, the provider's retry still gets the event handled.
      throw new RetryLaterException('The same event is being handled; retry later');
    }

    const failures = (await this.dispatcher.dispatch(event)).filter((outcome) => 'error' in outcome);
    if (failures.length > 0) {
      for (const failure of failures) {
        this.logger.error(
          `Handler ${failure.handler} failed for ${event.type} ${event.id}`,
          stackOf(failure.error),
        );
      }
      await this.store.release(key).catch((error: unknown) => {
        this.logger.error(
          `Could not release ${event.type} ${event.id} after a handler failed`,
          stackOf(error),
        );
      });
      throw new InternalServerErrorException('A webhook handler failed; the delivery can be retried');
    }
    try {
      await this.store.complete(key, ttlMs);
    } catch (error) {
      // The handlers ran: a 5xx now would make the provider deliver the event again.
      this.logger.error(`Could not mark ${event.type} ${event.id} as handled`, stackOf(error));
    }
    return { received: true };
  }
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
