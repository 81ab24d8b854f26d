import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bytesEqual, SecretSet } from '../../contracts/constant-time.js';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';

/**
 * The headers Veriff may carry its signature in: `X-HMAC-SIGNATURE`, and `VRF-HMAC-SIGNATURE`
 * (the name of its newer APIs). Either one is enough; when both are present, both must verify.
 */
export const VERIFF_SIGNATURE_HEADERS = ['x-hmac-signature', 'vrf-hmac-signature'] as const;
/** The headers that carry the integration's API key: `X-AUTH-CLIENT`, and `VRF-AUTH-CLIENT`. */
export const VERIFF_CLIENT_HEADERS = ['x-auth-client', 'vrf-auth-client'] as const;

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** `HMAC-SHA256(secret, raw body)`: the secret's UTF-8 bytes are the key, as given. */
export function computeVeriffSignature(secret: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest();
}

export interface VeriffVerification {
  /** The shared secret key(s); every one is tried. */
  readonly secrets: readonly string[];
  /** The API key(s) `X-AUTH-CLIENT` must carry; `undefined` when the header is not checked. */
  readonly apiKeys?: SecretSet;
}

type HeaderRead = { values: string[] } | { failure: WebhookAuthResult & { ok: false } };

/** The values of whichever of `names` are present, each a single header; or why not. */
function readHeaders(headers: IncomingHttpHeaders, names: readonly string[], label: string): HeaderRead {
  const values: string[] = [];
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value !== 'string')
      return {
        failure: { ok: false, reason: `${name} is not a single header`, code: 'malformed_credentials' },
      };
    values.push(value);
  }
  if (values.length === 0)
    return { failure: { ok: false, reason: `no ${label} header`, code: 'missing_credentials' } };
  return { values };
}

/**
 * Verifies a Veriff delivery: `X-HMAC-SIGNATURE` (or `VRF-HMAC-SIGNATURE`, or both) is the hex
 * HMAC-SHA256 of the exact body under one of the secrets, and, when API keys are configured,
 * `X-AUTH-CLIENT` (or `VRF-AUTH-CLIENT`) is one of them. A missing, repeated (Node joins repeated
 * `x-` headers with `, `) or malformed header fails before any cryptography; every present signature
 * must match, and every secret is compared against each in constant time without an early exit.
 * Veriff signs no time: the request carries no `freshUntilMs` (the decision's own time is checked
 * after validation).
 */
export function verifyVeriffRequest(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  options: VeriffVerification,
): WebhookAuthResult {
  const signatures = readHeaders(headers, VERIFF_SIGNATURE_HEADERS, 'X-HMAC-SIGNATURE');
  if ('failure' in signatures) return signatures.failure;
  for (const value of signatures.values) {
    if (!SHA256_HEX.test(value))
      return { ok: false, reason: 'signature is not 64 hex digits', code: 'malformed_credentials' };
  }
  let clients: string[] | undefined;
  if (options.apiKeys) {
    const read = readHeaders(headers, VERIFF_CLIENT_HEADERS, 'X-AUTH-CLIENT');
    if ('failure' in read) return read.failure;
    clients = read.values;
  }

  const expected = options.secrets.map((secret) => computeVeriffSignature(secret, rawBody));
  let allSigned = true;
  for (const value of signatures.values) {
    const presented = Buffer.from(value, 'hex');
    let matched = false;
    for (const candidate of expected) matched = bytesEqual(presented, candidate) || matched;
    allSigned = matched && allSigned;
  }
  let clientKnown = true;
  for (const client of clients ?? []) clientKnown = options.apiKeys!.matches(client) && clientKnown;

  if (!allSigned) return { ok: false, reason: 'no secret matches the signature', code: 'signature_mismatch' };
  if (!clientKnown)
    return { ok: false, reason: 'X-AUTH-CLIENT is not the configured API key', code: 'token_mismatch' };
  return { ok: true };
}
