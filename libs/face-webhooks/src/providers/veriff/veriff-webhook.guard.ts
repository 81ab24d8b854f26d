import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/**
 * Lets only Veriff deliveries with a valid signature through to a route of your own (needs
 * `rawBody: true`). It runs the signature check only: the decision's age is checked, and
 * duplicates are dropped, by the module's route or `@FaceWebhookRoute()` with `@FaceWebhookEvent()`.
 */
@Injectable()
export class VeriffWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'veriff';
}
