export {
  StripeIdentityEventDto,
  StripeObjectDto,
  StripeVerificationLastErrorDto,
  StripeVerificationSessionDto,
  StripeVerificationSessionEventDto,
  StripeVerifiedDobDto,
  StripeVerifiedOutputsDto,
  type StripeVerificationLastErrorCode,
} from './stripe-identity-event.dto.js';
export {
  STRIPE_IDENTITY_EVENT_TYPES,
  STRIPE_VERIFICATION_SESSION_STATUSES,
  type StripeIdentityEventType,
  type StripeVerificationSessionStatus,
} from './stripe-identity.events.js';
export type {
  StripeIdentityTenantSettings,
  StripeIdentityWebhookOptions,
} from './stripe-identity.options.js';
