import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bytesEqual } from '../../contracts/constant-time.js';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';

/** The header Onfido signs every delivery in: the hex HMAC-SHA256 of the raw body. */
export const ONFIDO_SIGNATURE_HEADER = 'x-sha2-signature';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** `HMAC-SHA256(token, raw body)`: the token's UTF-8 bytes are the key, as given. */
export function computeOnfidoSignature(token: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', Buffer.from(token, 'utf8')).update(rawBody).digest();
}

/**
 * Verifies an Onfido delivery: exactly one `X-SHA2-Signature` header of 64 hex digits, equal to the
 * HMAC-SHA256 of the exact body bytes under one of the webhook tokens. Every token is tried, in
 * constant time, without stopping at the first match. A missing, empty, repeated (Node joins
 * repeated headers with `, ` or makes a list) or malformed header fails before any cryptography.
 * Onfido signs no time: the result never carries `freshUntilMs` (the provider bounds the age of the
 * event by its body instead).
 */
export function verifyOnfidoRequest(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  tokens: readonly string[],
): WebhookAuthResult {
  const header = headers[ONFIDO_SIGNATURE_HEADER];
  if (header === undefined)
    return { ok: false, reason: 'no X-SHA2-Signature header', code: 'missing_credentials' };
  if (typeof header !== 'string')
    return { ok: false, reason: 'X-SHA2-Signature is not a single header', code: 'malformed_credentials' };
  if (!SHA256_HEX.test(header))
    return {
      ok: false,
      reason: 'X-SHA2-Signature is not 64 hex digits (one HMAC-SHA256)',
      code: 'malformed_credentials',
    };
  const presented = Buffer.from(header, 'hex');
  let matched = false;
  for (const token of tokens)
    matched = bytesEqual(presented, computeOnfidoSignature(token, rawBody)) || matched;
  return matched
    ? { ok: true }
    : { ok: false, reason: 'no webhook token matches X-SHA2-Signature', code: 'signature_mismatch' };
}
