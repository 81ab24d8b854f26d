/**
 * The Stripe event types of Identity VerificationSessions (stripe-node 23.2.0 `Event.Type`; the
 * "Events" list of docs.stripe.com/api/identity/verification_sessions). The library's event names
 * are these with the provider's prefix: `stripe-identity.identity.verification_session.verified`.
 */
export const STRIPE_IDENTITY_EVENT_TYPES = [
  'identity.verification_session.created',
  'identity.verification_session.processing',
  'identity.verification_session.requires_input',
  'identity.verification_session.verified',
  'identity.verification_session.canceled',
  'identity.verification_session.redacted',
] as const;
/** A Stripe Identity event type (handled as `'stripe-identity.<type>'`). */
export type StripeIdentityEventType = (typeof STRIPE_IDENTITY_EVENT_TYPES)[number];

/** The statuses of a VerificationSession (docs.stripe.com/identity/how-sessions-work). */
export const STRIPE_VERIFICATION_SESSION_STATUSES = [
  'requires_input',
  'processing',
  'verified',
  'canceled',
] as const;
/** A VerificationSession's status: `requires_input`, `processing`, `verified` or `canceled`. */
export type StripeVerificationSessionStatus = (typeof STRIPE_VERIFICATION_SESSION_STATUSES)[number];

/** Types whose `data.object` is a VerificationSession, checked field by field. */
export const STRIPE_VERIFICATION_SESSION_TYPE_PREFIX = 'identity.verification_session.';
