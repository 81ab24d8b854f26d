import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';

/** The parts of a `Stripe-Signature` header that matter: `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`. */
export interface StripeSignatureHeader {
  /** `t` exactly as sent: the signed string starts with it. */
  readonly timestampText: string;
  readonly timestamp: number;
  /** Every `v1` (Stripe sends one per active secret while an endpoint secret is rolled). */
  readonly signatures: readonly Buffer[];
}

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
export function computeStripeSignature(secret: string, timestamp: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

export interface StripeSignatureVerification {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  /** Now, in Unix seconds; default the clock. */
  readonly nowSeconds?: number;
}

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
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const skew = now - parsed.timestamp;
  if (Math.abs(skew) > options.toleranceSeconds) {
    return {
      ok: false,
      reason: `Stripe-Signature t is ${skew > 0 ? 'older' : 'newer'} than ${options.toleranceSeconds}s`,
      code: 'timestamp_outside_window',
    };
  }
  let matched = false;
  for (const secret of options.secrets) {
    const expected = computeStripeSignature(secret, parsed.timestampText, rawBody);
    for (const signature of parsed.signatures) matched = timingSafeEqual(expected, signature) || matched;
  }
  if (!matched)
    return { ok: false, reason: 'no v1 signature matches a configured secret', code: 'signature_mismatch' };
  // A retry of the same event is signed again with a new t; this request itself authenticates until
  // its t leaves the window, and its de-duplication record must outlive that.
  return { ok: true, freshUntilMs: (parsed.timestamp + options.toleranceSeconds) * 1000 };
}
