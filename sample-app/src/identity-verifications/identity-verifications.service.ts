import { Injectable, Logger } from '@nestjs/common';
import { OnFaceEvent, personaAttribute, type FaceEventOf } from 'nestjs-face-webhooks';
import './identity-check.events.js';

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

  /**
   * Persona: the user is the inquiry's `reference-id` (set it when you create the inquiry). The
   * inquiry's template workflow approves or declines it; `inquiry.completed` alone is not a decision
   * when a workflow or a reviewer decides after it.
   */
  @OnFaceEvent('persona.inquiry.*')
  onPersonaInquiry(event: FaceEventOf<'persona.inquiry.*'>): void {
    const status =
      event.type === 'persona.inquiry.approved'
        ? 'verified'
        : event.type === 'persona.inquiry.declined'
          ? 'declined'
          : undefined;
    if (!status) return; // completed, marked for review, ...: not decided yet
    const inquiry = event.data.data.attributes.payload.data;
    const userId = personaAttribute(inquiry.attributes, 'reference-id');
    if (typeof userId !== 'string' || userId === '') return; // an inquiry started without your user
    this.decide({
      userId,
      status,
      provider: 'persona',
      verificationId: inquiry.id,
      decidedAt: event.occurredAt.toISOString(),
      eventId: event.id,
    });
  }

  /**
   * Onfido Studio: a workflow run's outcome. The user is the run's `customer_user_id` (your id,
   * given when the run was created). `review` and `abandoned` decide nothing yet.
   */
  @OnFaceEvent('onfido.workflow_run.completed')
  onOnfidoWorkflowRun(event: FaceEventOf<'onfido.workflow_run.completed'>): void {
    const { object, resource } = event.data.payload;
    const userId = resource?.customer_user_id;
    if (!userId) return; // a run started without your user id
    const status =
      object.status === 'approved' ? 'verified' : object.status === 'declined' ? 'declined' : undefined;
    if (!status) return;
    this.decide({
      userId,
      status,
      provider: 'onfido',
      verificationId: object.id,
      decidedAt: event.occurredAt.toISOString(),
      eventId: event.id,
    });
  }

  /**
   * Veriff: a session's decision. The user is the session's `vendorData` (set when you created
   * it). `review` decides nothing yet; `expired` and `abandoned` end the session undecided.
   */
  @OnFaceEvent('veriff.decision.*')
  onVeriffDecision(event: FaceEventOf<'veriff.decision.*'>): void {
    const { id, status, reason, vendorData } = event.data.verification;
    if (!vendorData) return; // a session started without your user
    const decided =
      status === 'approved'
        ? 'verified'
        : status === 'declined'
          ? 'declined'
          : status === 'resubmission_requested'
            ? 'needs_input'
            : status === 'expired' || status === 'abandoned'
              ? 'canceled'
              : undefined;
    if (!decided) return;
    this.decide({
      userId: vendorData,
      status: decided,
      provider: 'veriff',
      verificationId: id,
      reason: reason ?? undefined,
      decidedAt: event.occurredAt.toISOString(),
      eventId: event.id,
    });
  }

  /**
   * Sumsub: an applicant's review. The user is `externalUserId` (your id, given when you created
   * the applicant). RED with `reviewRejectType: 'RETRY'` lets the user try again.
   */
  @OnFaceEvent('sumsub.applicantReviewed')
  onSumsubReview(event: FaceEventOf<'sumsub.applicantReviewed'>): void {
    const { applicantId, externalUserId, reviewResult } = event.data;
    if (!externalUserId) return; // an applicant created without your user id
    this.decide({
      userId: externalUserId,
      status:
        reviewResult.reviewAnswer === 'GREEN'
          ? 'verified'
          : reviewResult.reviewRejectType === 'RETRY'
            ? 'needs_input'
            : 'declined',
      provider: 'sumsub',
      verificationId: applicantId,
      reason: reviewResult.rejectLabels?.join(', ') || undefined,
      decidedAt: event.occurredAt.toISOString(),
      eventId: event.id,
    });
  }

  /** The platform's own identity-check service, a Standard Webhooks sender (see identity-check.events.ts). */
  @OnFaceEvent('standard.identity.check.completed')
  onIdentityCheck(event: FaceEventOf<'standard.identity.check.completed'>): void {
    const check = event.data.data;
    this.decide({
      userId: check.userId,
      status: check.result,
      provider: 'standard',
      verificationId: check.checkId,
      reason: check.reason,
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
