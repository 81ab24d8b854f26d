import { HttpException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { FaceWebhookRefusalReason } from './refusal-reason.js';

/**
 * A delivery that failed authentication: a plain 401 `Unauthorized` to the sender; the reason is
 * ours. On a tenant route (`hiddenAs`: the request URL) it is the 404 an unknown tenant gets, word for
 * word, so a sender without the tenant's secret cannot tell which tenants exist.
 */
export class FaceWebhookRefusedException extends HttpException {
  /** Answered as the unknown tenant's 404 (a tenant route): counted in metrics as `tenant_refused`. */
  readonly onTenantRoute: boolean;

  constructor(
    readonly reason: FaceWebhookRefusalReason,
    hiddenAs?: string,
  ) {
    const answer =
      hiddenAs === undefined
        ? new UnauthorizedException()
        : new NotFoundException(notFoundMessage('POST', hiddenAs));
    super(answer.getResponse(), answer.getStatus());
    this.onTenantRoute = hiddenAs !== undefined;
  }
}

/** The 404 message, worded as Nest words it for a path no route serves. */
export function notFoundMessage(method: string | undefined, url: string | undefined): string {
  return `Cannot ${method ?? ''} ${(url ?? '').slice(0, 200)}`;
}
