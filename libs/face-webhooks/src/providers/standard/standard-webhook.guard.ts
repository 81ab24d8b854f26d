import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/** Lets only genuine, fresh Standard Webhooks deliveries through to a route of your own (needs `rawBody: true`). */
@Injectable()
export class StandardWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'standard';
}
