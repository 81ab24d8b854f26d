import { Injectable } from '@nestjs/common';
import { FaceWebhookGuard } from '../../http/face-webhook.guard.js';

/**
 * Lets only Sumsub deliveries with a valid digest through to a route of your own (needs
 * `rawBody: true`). A guard alone neither checks `createdAtMs` against `maxEventAgeSeconds` nor
 * de-duplicates, and Sumsub signs no time: a captured delivery would pass it again. Prefer
 * `@FaceWebhookRoute('sumsub')` with `@FaceWebhookEvent()`, or the module's route.
 */
@Injectable()
export class SumsubWebhookGuard extends FaceWebhookGuard {
  protected readonly providerName = 'sumsub';
}
