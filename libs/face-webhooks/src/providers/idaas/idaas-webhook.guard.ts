import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/** Lets only genuine IDaaS deliveries through to a route of your own (needs `rawBody: true`). */
@Injectable()
export class IdaasWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'idaas';
}
