export {
  personaAttribute,
  PersonaEventAttributesDto,
  PersonaEventDataDto,
  PersonaInquiryAttributesDto,
  PersonaInquiryDto,
  PersonaInquiryEventAttributesDto,
  PersonaInquiryEventDataDto,
  PersonaInquiryEventDto,
  PersonaInquiryPayloadDto,
  PersonaVerificationAttributesDto,
  PersonaVerificationDto,
  PersonaVerificationEventAttributesDto,
  PersonaVerificationEventDataDto,
  PersonaVerificationEventDto,
  PersonaVerificationPayloadDto,
  PersonaWebhookEventDto,
  type PersonaIncludedResource,
  type PersonaPayload,
} from './persona-event.dto.js';
export type { PersonaEventBody } from './persona.definition.js';
export {
  PERSONA_EVENT_TYPES,
  PERSONA_INQUIRY_EVENT_TYPES,
  PERSONA_VERIFICATION_EVENT_TYPES,
  type PersonaEventType,
  type PersonaInquiryEventType,
  type PersonaInquiryStatus,
  type PersonaVerificationEventType,
  type PersonaVerificationStatus,
} from './persona.events.js';
export type { PersonaTenantSettings, PersonaWebhookOptions } from './persona.options.js';
export { PersonaWebhookGuard } from './persona-webhook.guard.js';
