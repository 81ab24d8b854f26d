import { randomBytes } from 'node:crypto';
import type { StripeIdentityEventType } from './stripe-identity.event-types.js';

/** A VerificationSession as a Stripe event carries it (API version 2026-11-18.endive). */
export interface StripeVerificationSessionFixture {
  /** A fresh `vs_...` id. */
  id: string;
  /** Always `'identity.verification_session'`. */
  object: 'identity.verification_session';
  /** The app's reference for the session; `user_8412` in the fixture. */
  client_reference_id: string | null;
  /** The secret a client uses to complete the session; `null` in events. */
  client_secret: string | null;
  /** When the session was created, Unix seconds (two minutes before the event). */
  created: number;
  /** Why the last verification failed (`document_expired` on `requires_input`); `null` otherwise. */
  last_error: {
    /** A machine-readable reason. */
    code: string | null;
    /** A message that explains it. */
    reason: string | null;
  } | null;
  /** The latest VerificationReport, `vr_...`, once there is one. */
  last_verification_report: string | null;
  /** `false`: the fixture is a test-mode session. */
  livemode: boolean;
  /** The app's key-value pairs; emptied on `redacted`. */
  metadata: Record<string, string>;
  /** The checks asked for: a document with a matching selfie. */
  options: Record<string, unknown>;
  /** An email and phone the app provided for the user, if any. */
  provided_details?: {
    /** The email address to verify. */
    email?: string;
    /** The phone number to verify. */
    phone?: string;
  } | null;
  /** `{ status: 'redacted' }` on `redacted`; `null` otherwise. */
  redaction: {
    /** `processing` or `redacted`. */
    status: string;
  } | null;
  /** The Customer the session is for, if any. */
  related_customer: string | null;
  /** The connected Account the session is for, if any. */
  related_customer_account: string | null;
  /** The status that matches the event type: `requires_input`, `processing`, `verified` or `canceled`. */
  status: string;
  /** `document` in the fixture. */
  type: string;
  /** The URL of the hosted verification flow; `null` in events. */
  url: string | null;
  /** The verified data, present only when the session is expanded; absent from the fixture. */
  verified_outputs?: Record<string, unknown> | null;
}

/** A Stripe event body as it arrives on the wire. */
export interface StripeIdentityFixture {
  /** A fresh `evt_...` id. */
  id: string;
  /** Always `'event'`. */
  object: 'event';
  /** The API version the event is rendered in. */
  api_version: string | null;
  /** When the event was created, Unix seconds (now). */
  created: number;
  /** The event's object. */
  data: {
    /** The VerificationSession, in the state the event type describes. */
    object: StripeVerificationSessionFixture;
  };
  /** `false`: a test-mode event. */
  livemode: boolean;
  /** Deliveries of this event not yet acknowledged; 1. */
  pending_webhooks: number;
  /** The API request that caused the event: none, in the fixture. */
  request: {
    /** The request's id, or `null`. */
    id: string | null;
    /** The request's idempotency key, or `null`. */
    idempotency_key: string | null;
  };
  /** The event type, `identity.verification_session.verified`, ... */
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
