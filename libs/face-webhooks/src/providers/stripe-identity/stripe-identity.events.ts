import type { StripeVerificationSessionEventDto } from './stripe-identity-event.dto.js';

export {
  STRIPE_IDENTITY_EVENT_TYPES,
  STRIPE_VERIFICATION_SESSION_STATUSES,
  type StripeIdentityEventType,
  type StripeVerificationSessionStatus,
} from './stripe-identity.event-types.js';

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** A VerificationSession was created (`status: 'requires_input'`). */
    'stripe-identity.identity.verification_session.created': StripeVerificationSessionEventDto;
    /** The user submitted; the checks are running. */
    'stripe-identity.identity.verification_session.processing': StripeVerificationSessionEventDto;
    /** A check failed (see `last_error`) or the user has yet to submit: the session needs input. */
    'stripe-identity.identity.verification_session.requires_input': StripeVerificationSessionEventDto;
    /** Every check passed. Fetch the session with `expand: ['verified_outputs']` for the data. */
    'stripe-identity.identity.verification_session.verified': StripeVerificationSessionEventDto;
    /** The session was canceled; it accepts no more submissions. */
    'stripe-identity.identity.verification_session.canceled': StripeVerificationSessionEventDto;
    /** The session's personal data was redacted (`redaction.status: 'redacted'`). */
    'stripe-identity.identity.verification_session.redacted': StripeVerificationSessionEventDto;
  }
}
