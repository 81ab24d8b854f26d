import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';
import {
  checkTimestampedHmac,
  timestampedHmac,
  type SignedTimestamp,
  type TimestampedHmacCheck,
} from '../../contracts/timestamped-hmac.js';

/** The parts of an `X-FaceSign-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`. */
export type FaceSignSignatureHeader = SignedTimestamp;

const TIMESTAMP = /^\d{1,11}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * Parses the header strictly: exactly one `t` (whole seconds), at least one `v1` of 64 hex digits,
 * nothing malformed. Unknown keys (future schemes) are ignored. Returns the reason when it fails.
 */
export function parseFaceSignSignature(header: string): FaceSignSignatureHeader | string {
  let timestampText: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return 'signature header has a part that is not key=value';
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestampText !== undefined) return 'signature header has more than one t';
      if (!TIMESTAMP.test(value)) return 'signature timestamp t is not a whole number of seconds';
      timestampText = value;
    } else if (key === 'v1') {
      if (!SHA256_HEX.test(value)) return 'signature v1 is not 64 hex digits';
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestampText === undefined) return 'signature header has no t';
  if (signatures.length === 0) return 'signature header has no v1';
  return { timestampText, timestamp: Number(timestampText), signatures };
}

/** `HMAC-SHA256(secret, "<t>.<raw body>")`, over the exact bytes received. */
export const computeFaceSignSignature = timestampedHmac;

export interface FaceSignVerification extends TimestampedHmacCheck {
  readonly allowUnsigned: boolean;
}

/**
 * Verifies a FaceSign delivery: the signature header (or the older `FaceSign-Signature` name),
 * `X-FaceSign-Timestamp` agreeing with `t` when present, `t` within the tolerance of now in both
 * directions, and a `v1` that equals the HMAC under one of the secrets. Every secret is tried
 * against every `v1` in constant time, without stopping at the first match.
 */
export function verifyFaceSignRequest(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  options: FaceSignVerification,
): WebhookAuthResult {
  const header = headers['x-facesign-signature'] ?? headers['facesign-signature'];
  const timestampHeader = headers['x-facesign-timestamp'];
  if (header === undefined) {
    if (options.allowUnsigned && timestampHeader === undefined) return { ok: true };
    return { ok: false, reason: 'no X-FaceSign-Signature header', code: 'missing_credentials' };
  }
  if (typeof header !== 'string')
    return {
      ok: false,
      reason: 'X-FaceSign-Signature is not a single header',
      code: 'malformed_credentials',
    };
  const parsed = parseFaceSignSignature(header);
  if (typeof parsed === 'string') return { ok: false, reason: parsed, code: 'malformed_credentials' };
  // The sender writes both from one value, so they must be the same text.
  if (
    timestampHeader !== undefined &&
    (typeof timestampHeader !== 'string' || timestampHeader.trim() !== parsed.timestampText)
  ) {
    return {
      ok: false,
      reason: 'X-FaceSign-Timestamp disagrees with the signature t',
      code: 'malformed_credentials',
    };
  }
  // The same request authenticates until t leaves the window; its record must outlive that.
  return checkTimestampedHmac([parsed], rawBody, options);
}
