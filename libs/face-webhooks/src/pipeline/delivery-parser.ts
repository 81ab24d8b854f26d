import { Injectable, Logger } from '@nestjs/common';
import type { DeliveryDetails } from '../observability/face-webhooks.telemetry.js';
import { DeliveryAuthenticator } from './delivery-authenticator.js';
import type { AuthenticatedDelivery, ParsedDelivery } from './delivery.js';
import { buildFaceEvent } from './face-event.factory.js';

/**
 * Stage two: the authenticated body parsed as JSON and validated against the provider's DTO (400
 * naming each bad field), then the provider's checks that need the body (`authorize`), then its
 * type, id and time read into the event handlers receive.
 */
@Injectable()
export class DeliveryParser {
  private readonly logger = new Logger('FaceWebhooks');

  constructor(private readonly authenticator: DeliveryAuthenticator) {}

  /** `details`: where the delivery's trace learns the event, for spans and the delivery log. */
  parse(delivery: AuthenticatedDelivery, details: DeliveryDetails): ParsedDelivery {
    const { provider, request, tenant } = delivery;
    let { authenticated } = delivery;
    const event = (details.event = buildFaceEvent(
      provider,
      request.rawBody,
      new Date(),
      tenant,
      authenticated.eventId,
    ));
    if (provider.authorize) {
      const authorized = provider.authorize(event.data as object, authenticated);
      const checked = this.authenticator.check(provider, authorized, request, tenant);
      // A `freshUntilMs` it returns replaces the one `authenticate` found; none keeps that one.
      if (checked.freshUntilMs !== undefined)
        authenticated = { ...authenticated, freshUntilMs: checked.freshUntilMs };
    }
    if (!provider.knownTypes.has(event.type.slice(provider.name.length + 1))) {
      this.logger.warn(
        `Unknown event type ${event.type} (${event.id}) accepted; only wildcard handlers receive it`,
      );
    }
    return { provider, event, freshUntilMs: authenticated.freshUntilMs ?? 0 };
  }
}
