/**
 * The Sumsub user verification webhooks the library types, by Sumsub's own `type` string: they
 * become `sumsub.<type>` (`sumsub.applicantReviewed`). Each is about one applicant (`applicantId`).
 */
export const SUMSUB_EVENT_TYPES = [
  'applicantCreated',
  'applicantPending',
  'applicantReviewed',
  'applicantOnHold',
  'applicantActionPending',
  'applicantActionReviewed',
  'applicantActionOnHold',
  'applicantPersonalInfoChanged',
  'applicantTagsChanged',
  'applicantActivated',
  'applicantDeactivated',
  'applicantDeleted',
  'applicantReset',
  'applicantPrechecked',
  'applicantLevelChanged',
  'applicantWorkflowCompleted',
] as const;
/** A Sumsub webhook type the library types (handled as `'sumsub.<type>'`). */
export type SumsubEventType = (typeof SUMSUB_EVENT_TYPES)[number];

/** The final answer of a review: `GREEN` (approved) or `RED` (rejected). */
export type SumsubReviewAnswer = 'GREEN' | 'RED';
/** For a `RED` answer: `RETRY` (the applicant may resubmit) or `FINAL`. */
export type SumsubReviewRejectType = 'FINAL' | 'RETRY';
/** Applicant statuses Sumsub documents, as sent in `reviewStatus`. */
export type SumsubReviewStatus = 'init' | 'pending' | 'prechecked' | 'queued' | 'completed' | 'onHold';
