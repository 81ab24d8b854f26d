import { Injectable } from '@nestjs/common';
import type { FaceEvent } from '../../contracts/face-event.interface.js';
import type { WebhookAck } from '../../pipeline/delivery.js';
import { EventSettler } from '../../pipeline/event-settler.js';
import { deliveryOfEvent } from './app-route-delivery.js';

/**
 * Hands the event of a `@FaceWebhookRoute()` to the library's pipeline, as the module's own route
 * does: de-duplicated (a repeat answers `{ received: true, duplicate: true }`), then the
 * `@OnFaceEvent` handlers run before it returns (inline) or the event is queued (`queued: true`,
 * and the route answers 202 when it returns this ack). It throws what the route should answer:
 * 503 with `Retry-After` when the event cannot be settled now (the same event in flight, a store or
 * queue unreachable, shutting down), 500 when a handler failed, so the provider retries.
 */
@Injectable()
export class FaceWebhookPipeline {
  constructor(private readonly settler: EventSettler) {}

  /**
   * De-duplicates the event and runs its handlers (or queues it), as the module's own route would.
   *
   * @param event - The event `@FaceWebhookEvent()` gave the route; another object throws.
   * @returns The acknowledgement to return from the route (`queued: true` for a queued event, which
   * the route answers 202).
   */
  async process(event: FaceEvent<string, unknown>): Promise<WebhookAck> {
    const delivery = deliveryOfEvent(event);
    if (!delivery) {
      // Only events that were authenticated and validated reach the handlers.
      throw new Error('FaceWebhookPipeline.process() takes the event @FaceWebhookEvent() gave the route');
    }
    const ack = await this.settler.settle({
      provider: delivery.authenticated.provider,
      event,
      freshUntilMs: delivery.freshUntilMs ?? 0,
    });
    delivery.ack = ack;
    return ack;
  }
}
