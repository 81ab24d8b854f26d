import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/**
 * Lets only genuine Onfido deliveries through to a route of your own (needs `rawBody: true`). It
 * checks the signature only: Onfido signs no time, and the event's age (the replay defence) is
 * checked on the validated body, so prefer `@FaceWebhookRoute('onfido')` with `@FaceWebhookEvent()`.
 */
@Injectable()
export class OnfidoWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'onfido';
}
