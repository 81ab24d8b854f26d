import { randomBytes, randomUUID } from 'node:crypto';
import type { SumsubEventType, SumsubReviewStatus } from './sumsub.event-types.js';
import { formatSumsubTime } from './sumsub-time.js';

/** A Sumsub body as it arrives on the wire. */
export interface SumsubFixture {
  /** A fresh applicant id (24 hex digits). */
  applicantId: string;
  /** A fresh inspection id. */
  inspectionId: string;
  /** A fresh `req-<uuid>`. */
  correlationId: string;
  /** Your user's id: `user_4242`. */
  externalUserId: string;
  /** The verification level: `basic-kyc-level`. */
  levelName: string;
  /** The webhook type, `applicantReviewed`, ... */
  type: string;
  /** `false`: a production webhook. */
  sandboxMode: boolean;
  /** The applicant's status that matches the type: `init`, `pending`, `completed`, ... */
  reviewStatus: string;
  /** When Sumsub created the webhook, UTC, as Sumsub writes it (`2021-05-14 16:00:25.032`). */
  createdAtMs: string;
  /** Your Sumsub client id: `acme`. */
  clientId: string;
  /** `individual`. */
  applicantType: string;
  /** On `applicantReviewed`: `{ reviewAnswer: 'GREEN' }`. */
  reviewResult?: {
    /** `GREEN` or `RED`. */
    reviewAnswer: string;
    /** For `RED`: why. */
    rejectLabels?: string[];
    /** For `RED`: `RETRY` or `FINAL`. */
    reviewRejectType?: string;
    /** A comment for the applicant. */
    moderationComment?: string;
    /** A comment for you. */
    clientComment?: string;
  };
  [field: string]: unknown;
}

const REVIEW_STATUS: Partial<Record<SumsubEventType, SumsubReviewStatus>> = {
  applicantCreated: 'init',
  applicantReset: 'init',
  applicantPending: 'pending',
  applicantPrechecked: 'prechecked',
  applicantOnHold: 'onHold',
  applicantReviewed: 'completed',
  applicantWorkflowCompleted: 'completed',
};

/** A Sumsub-style id: 24 hex digits. */
const sumsubId = (): string => randomBytes(12).toString('hex');

/**
 * A realistic Sumsub webhook body of the given type, shaped like the examples of Sumsub's user
 * verification webhooks documentation, with fresh applicant, inspection and correlation ids each
 * call, `externalUserId` `user_4242` and `createdAtMs` now. `applicantReviewed` carries a GREEN
 * `reviewResult`.
 */
export function sumsubFixture(type: SumsubEventType | (string & {}), now = new Date()): SumsubFixture {
  return {
    applicantId: sumsubId(),
    inspectionId: sumsubId(),
    correlationId: `req-${randomUUID()}`,
    externalUserId: 'user_4242',
    levelName: 'basic-kyc-level',
    type,
    sandboxMode: false,
    reviewStatus: REVIEW_STATUS[type as SumsubEventType] ?? 'pending',
    createdAtMs: formatSumsubTime(now),
    clientId: 'acme',
    applicantType: 'individual',
    ...(type === 'applicantReviewed' ? { reviewResult: { reviewAnswer: 'GREEN' } } : {}),
  };
}
