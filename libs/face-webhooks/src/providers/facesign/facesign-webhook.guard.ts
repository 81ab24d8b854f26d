import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/** Lets only genuine, fresh FaceSign deliveries through to a route of your own (needs `rawBody: true`). */
@Injectable()
export class FaceSignWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'facesign';
}
