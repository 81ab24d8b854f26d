import type { PersonaInquiryEventDto, PersonaVerificationEventDto } from './persona-event.dto.js';

export {
  PERSONA_EVENT_TYPES,
  PERSONA_INQUIRY_EVENT_TYPES,
  PERSONA_VERIFICATION_EVENT_TYPES,
  type PersonaEventType,
  type PersonaInquiryEventType,
  type PersonaInquiryStatus,
  type PersonaVerificationEventType,
  type PersonaVerificationStatus,
} from './persona.event-types.js';

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** The user finished the inquiry flow and every required verification passed. */
    'persona.inquiry.completed': PersonaInquiryEventDto;
    /** Approved by a workflow or a reviewer. */
    'persona.inquiry.approved': PersonaInquiryEventDto;
    /** Declined by a workflow or a reviewer. */
    'persona.inquiry.declined': PersonaInquiryEventDto;
    /** Marked for manual review (status `needs_review`). */
    'persona.inquiry.marked-for-review': PersonaInquiryEventDto;
    /** The user ran out of attempts at a required verification. */
    'persona.inquiry.failed': PersonaInquiryEventDto;
    /** Left pending too long (24 h by default). */
    'persona.inquiry.expired': PersonaInquiryEventDto;
    /** A verification (government id, selfie, database, ...) passed. */
    'persona.verification.passed': PersonaVerificationEventDto;
    /** A verification failed. */
    'persona.verification.failed': PersonaVerificationEventDto;
  }
}
