import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/** Lets only genuine, fresh Persona deliveries through to a route of your own (needs `rawBody: true`). */
@Injectable()
export class PersonaWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'persona';
}
