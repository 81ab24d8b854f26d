import { randomBytes } from 'node:crypto';
import type { StripeIdentityEventType } from './stripe-identity.event-types.js';

/** A VerificationSession as a Stripe event carries it (API version 2026-11-18.endive). */
export interface StripeVerificationSessionFixture {
  id: string;
  object: 'identity.verification_session';
  client_reference_id: string | null;
  client_secret: string | null;
  created: number;
  last_error: { code: string | null; reason: string | null } | null;
  last_verification_report: string | null;
  livemode: boolean;
  metadata: Record<string, string>;
  options: Record<string, unknown>;
  provided_details?: { email?: string; phone?: string } | null;
  redaction: { status: string } | null;
  related_customer: string | null;
  related_customer_account: string | null;
  status: string;
  type: string;
  url: string | null;
  verified_outputs?: Record<string, unknown> | null;
}

/** A Stripe event body as it arrives on the wire. */
export interface StripeIdentityFixture {
  id: string;
  object: 'event';
  api_version: string | null;
  created: number;
  data: { object: StripeVerificationSessionFixture };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

/** A Stripe-like id: the prefix and 24 letters and digits. */
const stripeId = (prefix: string): string =>
  `${prefix}_${randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(24, '0')
    .slice(0, 24)}`;

type SessionState = Pick<
  StripeVerificationSessionFixture,
  'status' | 'last_error' | 'last_verification_report' | 'redaction'
> & { metadata?: Record<string, string> };

const STATES: Record<StripeIdentityEventType, () => SessionState> = {
  'identity.verification_session.created': () => ({
    status: 'requires_input',
    last_error: null,
    last_verification_report: null,
    redaction: null,
  }),
  'identity.verification_session.processing': () => ({
    status: 'processing',
    last_error: null,
    last_verification_report: null,
    redaction: null,
  }),
  'identity.verification_session.requires_input': () => ({
    status: 'requires_input',
    last_error: { code: 'document_expired', reason: 'The document is expired.' },
    last_verification_report: stripeId('vr'),
    redaction: null,
  }),
  'identity.verification_session.verified': () => ({
    status: 'verified',
    last_error: null,
    last_verification_report: stripeId('vr'),
    redaction: null,
  }),
  'identity.verification_session.canceled': () => ({
    status: 'canceled',
    last_error: null,
    last_verification_report: null,
    redaction: null,
  }),
  'identity.verification_session.redacted': () => ({
    status: 'verified',
    last_error: null,
    last_verification_report: stripeId('vr'),
    redaction: { status: 'redacted' },
    metadata: {},
  }),
};

/**
 * A realistic Stripe Identity event of the given type (a document check with a selfie), with fresh
 * `evt_` and `vs_` ids each call. Pass overrides to change top-level fields, or edit `data.object`.
 */
export function stripeIdentityFixture(
  type: StripeIdentityEventType,
  overrides: Partial<StripeIdentityFixture> = {},
): StripeIdentityFixture {
  const now = Math.floor(Date.now() / 1000);
  const state = STATES[type]();
  const session: StripeVerificationSessionFixture = {
    id: stripeId('vs'),
    object: 'identity.verification_session',
    client_reference_id: 'user_8412',
    client_secret: null,
    created: now - 120,
    last_error: state.last_error,
    last_verification_report: state.last_verification_report,
    livemode: false,
    metadata: state.metadata ?? { order_id: '42' },
    options: { document: { require_matching_selfie: true } },
    provided_details: null,
    redaction: state.redaction,
    related_customer: null,
    related_customer_account: null,
    status: state.status,
    type: 'document',
    url: null,
  };
  const event: StripeIdentityFixture = {
    id: stripeId('evt'),
    object: 'event',
    api_version: '2026-11-18.endive',
    created: now,
    data: { object: session },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
  return { ...event, ...overrides };
}
