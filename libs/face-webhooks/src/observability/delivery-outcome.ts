import { HttpException } from '@nestjs/common';
import { FaceWebhookRefusedException } from '../contracts/face-webhook-refused.exception.js';
import { RetryLaterException } from '../contracts/retry-later.exception.js';
import type { FaceDeliveryOutcome } from '../contracts/face-delivery-outcome.js';
import type { FaceWebhookRefusalReason } from '../contracts/refusal-reason.js';

/** What the answer a delivery got says about it, for spans, metrics and the delivery log. */
export function outcomeOfError(error: unknown): {
  outcome: FaceDeliveryOutcome;
  reason?: FaceWebhookRefusalReason;
} {
  if (error instanceof FaceWebhookRefusedException) return { outcome: 'rejected', reason: error.reason };
  if (error instanceof RetryLaterException) return { outcome: 'retry-later' };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Bodies the readers refuse (413, 408, 415) never reach the receiver; they are counted there.
    if (status === 400) return { outcome: 'rejected', reason: 'invalid_body' };
    if (status < 500) return { outcome: 'rejected' };
  }
  return { outcome: 'failed' };
}

/** The reason of a refusal answered by the raw-body readers, from its status. */
export function reasonOfStatus(status: number): FaceWebhookRefusalReason | undefined {
  return (
    { 400: 'invalid_body', 408: 'body_timeout', 413: 'body_too_large', 415: 'unsupported_encoding' } as const
  )[status as 400 | 408 | 413 | 415];
}
