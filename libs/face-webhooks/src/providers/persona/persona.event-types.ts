/** The Persona inquiry events with a typed payload (`data.attributes.payload.data` is an inquiry). */
export const PERSONA_INQUIRY_EVENT_TYPES = [
  'inquiry.completed',
  'inquiry.approved',
  'inquiry.declined',
  'inquiry.marked-for-review',
  'inquiry.failed',
  'inquiry.expired',
] as const;

/** The Persona verification events with a typed payload (a `verification/<kind>` resource). */
export const PERSONA_VERIFICATION_EVENT_TYPES = ['verification.passed', 'verification.failed'] as const;

/**
 * Every Persona event name the library types. Persona sends many more (`inquiry.created`,
 * `account.*`, `case.*`, ...) and says its list "can grow at any time": those are accepted and reach
 * wildcard handlers (`'persona.**'`) only.
 */
export const PERSONA_EVENT_TYPES = [
  ...PERSONA_INQUIRY_EVENT_TYPES,
  ...PERSONA_VERIFICATION_EVENT_TYPES,
] as const;
/** A Persona inquiry event name the library types: `'inquiry.approved'`, `'inquiry.declined'`, ... */
export type PersonaInquiryEventType = (typeof PERSONA_INQUIRY_EVENT_TYPES)[number];
/** `'verification.passed'` or `'verification.failed'`. */
export type PersonaVerificationEventType = (typeof PERSONA_VERIFICATION_EVENT_TYPES)[number];
/** Every Persona event name the library types (handled as `'persona.<name>'`). */
export type PersonaEventType = (typeof PERSONA_EVENT_TYPES)[number];

/** Inquiry statuses Persona documents (Inquiry Model Lifecycle), as sent on the wire. */
export type PersonaInquiryStatus =
  'created' | 'pending' | 'completed' | 'failed' | 'expired' | 'needs_review' | 'approved' | 'declined';

/** Verification statuses Persona documents (Verification Lifecycle). */
export type PersonaVerificationStatus =
  'initiated' | 'confirmed' | 'submitted' | 'passed' | 'failed' | 'requires_retry' | 'skipped' | 'canceled';
