import type { SumsubApplicantEventDto, SumsubApplicantReviewedEventDto } from './sumsub-event.dto.js';

export {
  SUMSUB_EVENT_TYPES,
  type SumsubEventType,
  type SumsubReviewAnswer,
  type SumsubReviewRejectType,
  type SumsubReviewStatus,
} from './sumsub.event-types.js';

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** The applicant is created. */
    'sumsub.applicantCreated': SumsubApplicantEventDto;
    /** The applicant submitted what the level requires; status `pending`. */
    'sumsub.applicantPending': SumsubApplicantEventDto;
    /** Verification is complete: `reviewResult.reviewAnswer` is GREEN or RED. */
    'sumsub.applicantReviewed': SumsubApplicantReviewedEventDto;
    /** Processing of the applicant is put on hold. */
    'sumsub.applicantOnHold': SumsubApplicantEventDto;
    /** An applicant action's status changed to `pending`. */
    'sumsub.applicantActionPending': SumsubApplicantEventDto;
    /** An applicant action's verification is complete. */
    'sumsub.applicantActionReviewed': SumsubApplicantEventDto;
    /** An applicant action's verification is paused. */
    'sumsub.applicantActionOnHold': SumsubApplicantEventDto;
    /** The applicant's personal information changed. */
    'sumsub.applicantPersonalInfoChanged': SumsubApplicantEventDto;
    /** The applicant's tags changed. */
    'sumsub.applicantTagsChanged': SumsubApplicantEventDto;
    /** The applicant profile was set to active. */
    'sumsub.applicantActivated': SumsubApplicantEventDto;
    /** The applicant profile was deactivated. */
    'sumsub.applicantDeactivated': SumsubApplicantEventDto;
    /** The applicant was permanently deleted. */
    'sumsub.applicantDeleted': SumsubApplicantEventDto;
    /** The applicant was reset: status `init`, documents inactive. */
    'sumsub.applicantReset': SumsubApplicantEventDto;
    /** Primary data processing is complete. */
    'sumsub.applicantPrechecked': SumsubApplicantEventDto;
    /** The applicant's level changed. */
    'sumsub.applicantLevelChanged': SumsubApplicantEventDto;
    /** A workflow completed for the applicant. */
    'sumsub.applicantWorkflowCompleted': SumsubApplicantEventDto;
  }
}
