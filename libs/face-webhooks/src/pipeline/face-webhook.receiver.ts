import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { WebhookRequest } from '../contracts/face-webhook-provider.interface.js';
import { notFoundMessage } from '../contracts/face-webhook-refused.exception.js';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../contracts/face-webhooks.tokens.js';
import { FaceWebhooksTelemetry } from '../observability/face-webhooks.telemetry.js';
import { DeliveryAuthenticator } from './delivery-authenticator.js';
import { DeliveryParser } from './delivery-parser.js';
import type { AuthenticatedDelivery, WebhookAck } from './delivery.js';
import { EventSettler } from './event-settler.js';
import { buildFaceEvent } from './face-event.factory.js';
import { FaceWebhookProviderRegistry } from './face-webhook-provider.registry.js';

/**
 * One delivery, start to finish, in one trace: authenticate the raw request
 * ({@link DeliveryAuthenticator}), parse and validate the body ({@link DeliveryParser}), then claim,
 * handle or queue and acknowledge ({@link EventSettler}). The module's routes and the console's
 * replay come here; an app's own routes run the same stages from their guard, pipe and pipeline.
 * Every failure a sender can cause is a 4xx; a 5xx means the provider should retry.
 */
@Injectable()
export class FaceWebhookReceiver {
  constructor(
    private readonly registry: FaceWebhookProviderRegistry,
    private readonly authenticator: DeliveryAuthenticator,
    private readonly parser: DeliveryParser,
    private readonly settler: EventSettler,
    private readonly telemetry: FaceWebhooksTelemetry,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
  ) {}

  /**
   * A delivery to `POST /<basePath>/<providerName>`, or `/<providerName>/<tenant>`. A provider
   * that is not enabled, or not served on that route, is a path no route serves (404; not
   * counted: the name is the sender's to choose).
   */
  async receive(providerName: string, request: WebhookRequest, tenant?: string): Promise<WebhookAck> {
    const provider = this.registry.get(providerName);
    const served = tenant === undefined ? this.settings.singleRoutes : this.settings.tenantRoutes;
    if (!provider || !served.includes(provider.name)) {
      throw new NotFoundException(notFoundMessage('POST', request.url));
    }
    return this.telemetry.traceDelivery(provider.name, async (details) => {
      details.tenant = tenant;
      details.headers = request.headers;
      const authenticated =
        tenant === undefined
          ? (this.authenticator.authenticate(provider, request) as AuthenticatedDelivery)
          : await this.authenticator.authenticate(provider, request, tenant);
      return this.settler.settle(this.parser.parse(authenticated, details));
    });
  }

  /**
   * Runs a stored delivery again (the console's Replay): its body was verified when it arrived, so
   * it is parsed and settled like a new delivery, through de-duplication and the records of
   * finished handlers: if the provider's own retry already handled it, this is a duplicate.
   * `eventId`: the id it was received with (needed when the sender's id is in its headers).
   */
  async replay(
    providerName: string,
    rawBody: Buffer,
    tenant?: string,
    eventId?: string,
  ): Promise<WebhookAck> {
    const provider = this.registry.get(providerName);
    if (!provider) throw new NotFoundException(`Provider ${providerName} is not enabled`);
    return this.telemetry.traceDelivery(provider.name, (details) => {
      details.tenant = tenant;
      const event = (details.event = buildFaceEvent(provider, rawBody, new Date(), tenant, eventId));
      return this.settler.settle({ provider, event, freshUntilMs: 0 });
    });
  }
}
