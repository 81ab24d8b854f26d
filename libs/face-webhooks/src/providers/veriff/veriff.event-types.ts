/**
 * The decision webhook's `verification.status` values Veriff documents, each with its decision
 * code. The event type is `decision.<status>`; `expired` and `abandoned` share code 9104.
 */
export const VERIFF_DECISION_CODES = {
  approved: 9001,
  declined: 9102,
  resubmission_requested: 9103,
  expired: 9104,
  abandoned: 9104,
  review: 9121,
} as const;

/** The event webhook's `action` values Veriff documents, each with its event code. */
export const VERIFF_EVENT_CODES = {
  started: 7001,
  submitted: 7002,
} as const;

export type VeriffDecisionStatus = keyof typeof VERIFF_DECISION_CODES;
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

export type VeriffDecisionEventType = (typeof VERIFF_DECISION_EVENT_TYPES)[number];
export type VeriffSessionEventType = (typeof VERIFF_SESSION_EVENT_TYPES)[number];
export type VeriffEventType = (typeof VERIFF_EVENT_TYPES)[number];
