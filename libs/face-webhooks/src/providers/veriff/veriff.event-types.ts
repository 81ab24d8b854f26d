/**
 * The decision webhook's `verification.status` values Veriff documents, each with its decision
 * code. The event type is `decision.<status>`; `expired` and `abandoned` share code 9104.
 */
export const VERIFF_DECISION_CODES = {
  /** The end user was verified. */
  approved: 9001,
  /** The end user was not verified. */
  declined: 9102,
  /** The end user must try again (a clearer photo, another document, ...). */
  resubmission_requested: 9103,
  /** The session expired before the end user submitted it. */
  expired: 9104,
  /** The end user left the session unfinished. */
  abandoned: 9104,
  /** The session awaits a manual review. */
  review: 9121,
} as const;

/** The event webhook's `action` values Veriff documents, each with its event code. */
export const VERIFF_EVENT_CODES = {
  /** The end user started the flow. */
  started: 7001,
  /** The end user submitted the flow. */
  submitted: 7002,
} as const;

/** A decision status Veriff documents: `approved`, `declined`, `resubmission_requested`, `expired`, `abandoned`, `review`. */
export type VeriffDecisionStatus = keyof typeof VERIFF_DECISION_CODES;
/** An event action Veriff documents: `started` or `submitted`. */
export type VeriffEventAction = keyof typeof VERIFF_EVENT_CODES;

/** The decision webhook types the library types: `decision.approved`, `decision.declined`, ... */
export const VERIFF_DECISION_EVENT_TYPES = [
  'decision.approved',
  'decision.declined',
  'decision.resubmission_requested',
  'decision.expired',
  'decision.abandoned',
  'decision.review',
] as const;

/** The event webhook types the library types: the end user started, or submitted, the flow. */
export const VERIFF_SESSION_EVENT_TYPES = ['event.started', 'event.submitted'] as const;

/**
 * Every Veriff type the library types. A decision status or an event action Veriff adds later is
 * accepted as `decision.<status>` / `event.<action>` and reaches wildcard handlers (`'veriff.**'`)
 * only.
 */
export const VERIFF_EVENT_TYPES = [...VERIFF_DECISION_EVENT_TYPES, ...VERIFF_SESSION_EVENT_TYPES] as const;

/** A decision webhook type the library types: `decision.approved`, ... */
export type VeriffDecisionEventType = (typeof VERIFF_DECISION_EVENT_TYPES)[number];
/** `event.started` or `event.submitted`. */
export type VeriffSessionEventType = (typeof VERIFF_SESSION_EVENT_TYPES)[number];
/** Every Veriff type the library types (handled as `'veriff.<type>'`). */
export type VeriffEventType = (typeof VERIFF_EVENT_TYPES)[number];
