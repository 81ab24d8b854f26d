import { UnauthorizedException } from '@nestjs/common';
import type { FaceWebhookRefusalReason } from '../observability/refusal-reason.js';

/** A delivery that failed authentication: a plain 401 `Unauthorized` to the sender; the reason is ours. */
export class FaceWebhookRefusedException extends UnauthorizedException {
  constructor(readonly reason: FaceWebhookRefusalReason) {
    super();
  }
}
