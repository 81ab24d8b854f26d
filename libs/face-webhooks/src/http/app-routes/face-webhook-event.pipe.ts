import { Injectable, type PipeTransform, createParamDecorator } from '@nestjs/common';
import type { FaceEvent } from '../../contracts/face-event.interface.js';
import { DeliveryParser } from '../../pipeline/delivery-parser.js';
import { deliveryOfRequest, rememberEvent } from './app-route-delivery.js';

/**
 * Turns the request of a `@FaceWebhookRoute()` into its validated event: the body parsed and
 * checked against the provider's DTO (400 naming the field), then the provider's checks that need
 * the body (FACEIO's app id, IDaaS's event age: 401). What `@FaceWebhookEvent()` applies.
 */
@Injectable()
export class FaceWebhookEventPipe implements PipeTransform<object, FaceEvent> {
  constructor(private readonly parser: DeliveryParser) {}

  transform(request: object): FaceEvent {
    const delivery = deliveryOfRequest(request);
    if (!delivery) {
      // The app refuses to start with @FaceWebhookEvent() on a route without @FaceWebhookRoute().
      throw new Error('FaceWebhookEventPipe needs a route with @FaceWebhookRoute()');
    }
    if (delivery.event) return delivery.event;
    const { event, freshUntilMs } = this.parser.parse(delivery.authenticated, delivery.trace.details);
    rememberEvent(delivery, event, freshUntilMs);
    return event;
  }
}

/** Marks a method whose parameters take `@FaceWebhookEvent()`, for the startup check. */
export const FACE_WEBHOOK_EVENT_PARAM_METADATA = 'nestjs-face-webhooks:event-param';

const RequestOf = createParamDecorator((_data: unknown, context) =>
  context.switchToHttp().getRequest<object>(),
);

/**
 * The validated, typed event of a `@FaceWebhookRoute()` (see {@link FaceWebhookEventPipe}). Type
 * the parameter from the provider: `@FaceWebhookEvent() event: FaceEventOf<'idaas.**'>`.
 */
export function FaceWebhookEvent(): ParameterDecorator {
  return (target, key, index) => {
    RequestOf(FaceWebhookEventPipe)(target, key, index);
    if (key !== undefined) Reflect.defineMetadata(FACE_WEBHOOK_EVENT_PARAM_METADATA, true, target, key);
  };
}
