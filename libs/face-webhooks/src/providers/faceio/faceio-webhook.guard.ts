import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/** Lets only genuine FACEIO deliveries through to a route of your own. */
@Injectable()
export class FaceioWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'faceio';
}
