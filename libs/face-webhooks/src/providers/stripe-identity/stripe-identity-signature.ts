import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';
import {
  checkTimestampedHmac,
  timestampedHmac,
  type SignedTimestamp,
  type TimestampedHmacCheck,
} from '../../contracts/timestamped-hmac.js';

/** The parts of a `Stripe-Signature` header that matter: `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`. */
export type StripeSignatureHeader = SignedTimestamp;

/** Far longer than any header Stripe sends (t, one or two v1, v0, a few short diagnostic keys). */
const MAX_HEADER_LENGTH = 4096;
const TIMESTAMP = /^\d{1,11}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * Parses the header strictly: exactly one `t` (whole seconds), at least one `v1` of 64 hex digits,
 * every part `key=value`. Other keys (`v0`, the fake signature Stripe adds in test mode; diagnostic
 * keys such as `secret=`, `destination=`, `payload=`) are ignored, as stripe-node ignores them. Two
 * `t` are refused: that is what Node makes of a repeated header (it joins them with `, `). Returns
 * the reason when it fails.
 */
export function parseStripeSignatureHeader(header: string): StripeSignatureHeader | string {
  if (header.length > MAX_HEADER_LENGTH)
    return `Stripe-Signature is longer than ${MAX_HEADER_LENGTH} characters`;
  let timestampText: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = separator < 0 ? '' : part.slice(0, separator).trim();
    if (key === '') return 'Stripe-Signature has a part that is not key=value';
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestampText !== undefined)
        return 'Stripe-Signature has more than one t (a repeated Stripe-Signature header?)';
      if (!TIMESTAMP.test(value)) return 'Stripe-Signature t is not a whole number of seconds';
      timestampText = value;
    } else if (key === 'v1') {
      if (!SHA256_HEX.test(value)) return 'Stripe-Signature v1 is not 64 hex digits';
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestampText === undefined) return 'Stripe-Signature has no t';
  if (signatures.length === 0) return 'Stripe-Signature has no v1';
  return { timestampText, timestamp: Number(timestampText), signatures };
}

/** `HMAC-SHA256(key = the whole secret string, whsec_ included, "<t>.<raw body>")`, as stripe-node. */
export const computeStripeSignature = timestampedHmac;

export type StripeSignatureVerification = TimestampedHmacCheck;

/**
 * Verifies a Stripe delivery: a single well-formed `Stripe-Signature`, `t` within the tolerance of
 * now in both directions (stripe-node refuses only old ones), and a `v1` equal to the HMAC under one
 * of the secrets. Every secret is tried against every `v1` in constant time, without stopping at
 * the first match. Success carries `freshUntilMs`: when this exact request stops authenticating.
 */
export function verifyStripeSignature(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  options: StripeSignatureVerification,
): WebhookAuthResult {
  const header = headers['stripe-signature'];
  if (header === undefined)
    return { ok: false, reason: 'no Stripe-Signature header', code: 'missing_credentials' };
  if (typeof header !== 'string')
    return { ok: false, reason: 'Stripe-Signature is not a single header', code: 'malformed_credentials' };
  const parsed = parseStripeSignatureHeader(header);
  if (typeof parsed === 'string') return { ok: false, reason: parsed, code: 'malformed_credentials' };
  // A retry of the same event is signed again with a new t; this request itself authenticates until
  // its t leaves the window, and its de-duplication record must outlive that.
  return checkTimestampedHmac([parsed], rawBody, options);
}
