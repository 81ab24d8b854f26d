import { randomBytes, randomUUID } from 'node:crypto';
import type { SumsubEventType, SumsubReviewStatus } from './sumsub.event-types.js';
import { formatSumsubTime } from './sumsub-time.js';

/** A Sumsub body as it arrives on the wire. */
export interface SumsubFixture {
  applicantId: string;
  inspectionId: string;
  correlationId: string;
  externalUserId: string;
  levelName: string;
  type: string;
  sandboxMode: boolean;
  reviewStatus: string;
  createdAtMs: string;
  clientId: string;
  applicantType: string;
  reviewResult?: {
    reviewAnswer: string;
    rejectLabels?: string[];
    reviewRejectType?: string;
    moderationComment?: string;
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
