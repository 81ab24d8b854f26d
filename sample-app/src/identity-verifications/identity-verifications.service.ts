import { Injectable, Logger } from '@nestjs/common';
import { OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';

/** Where a user's identity stands, as the identity-verification services last said. */
export interface IdentityVerification {
  /** Your user, as you passed it to the service when you started the verification. */
  readonly userId: string;
  /** `verified`, `needs_input` (the user must try again), `declined` or `canceled`. */
  readonly status: 'verified' | 'needs_input' | 'declined' | 'canceled';
  /** Which service, and its verification's id there (to fetch the verified data from its API). */
  readonly provider: string;
  readonly verificationId: string;
  /** Why it is not verified, in the service's words, when it says. */
  readonly reason?: string;
  /** When the service decided. */
  readonly decidedAt: string;
  /** The event that said so. */
  readonly eventId: string;
}

/**
 * Records the verified person against your user, from whichever service verified them. A sign-up
 * flow asks `statusOf(userId)` before it unlocks what needs a verified identity. Decisions can
 * arrive out of order (retries): an older one never replaces a newer one.
 */
@Injectable()
export class IdentityVerificationsService {
  private readonly logger = new Logger(IdentityVerificationsService.name);
  private readonly byUser = new Map<string, IdentityVerification>();

  /** Stripe Identity: the user is `client_reference_id` (or `metadata.user_id`) of the session. */
  @OnFaceEvent('stripe-identity.identity.verification_session.*')
  onStripeSession(event: FaceEventOf<'stripe-identity.identity.verification_session.*'>): void {
    const session = event.data.data.object;
    const userId = session.client_reference_id ?? session.metadata.user_id;
    if (!userId) return; // a session your app did not start for a user
    const status =
      session.status === 'verified'
        ? 'verified'
        : session.status === 'canceled'
          ? 'canceled'
          : session.status === 'requires_input' && session.last_error
            ? 'needs_input'
            : undefined;
    if (!status) return; // created, processing: nothing decided yet
    this.decide({
      userId,
      status,
      provider: 'stripe-identity',
      verificationId: session.id,
      reason: session.last_error?.reason ?? session.last_error?.code ?? undefined,
      decidedAt: event.occurredAt.toISOString(),
      eventId: event.id,
    });
  }

  statusOf(userId: string): IdentityVerification | undefined {
    return this.byUser.get(userId);
  }

  list(): IdentityVerification[] {
    return [...this.byUser.values()];
  }

  private decide(verification: IdentityVerification): void {
    const previous = this.byUser.get(verification.userId);
    if (previous && previous.decidedAt > verification.decidedAt) return;
    this.byUser.set(verification.userId, verification);
    this.logger.log(
      `Identity of ${verification.userId}: ${verification.status} (${verification.provider} ${verification.verificationId})`,
    );
  }
}
