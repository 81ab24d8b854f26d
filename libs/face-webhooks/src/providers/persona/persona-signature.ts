import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';
import {
  checkTimestampedHmac,
  timestampedHmac,
  type SignedTimestamp,
  type TimestampedHmacCheck,
} from '../../contracts/timestamped-hmac.js';

/** One `t=<unix seconds>,v1=<hex>` set of a `Persona-Signature` header. */
export type PersonaSignatureSet = SignedTimestamp;

const TIMESTAMP = /^[1-9]\d{0,10}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;
/** Persona sends one set, two while a secret rotates; a few more are tolerated, not hundreds. */
const MAX_SETS = 4;
const MAX_SIGNATURES_PER_SET = 4;

/**
 * Parses a `Persona-Signature` header strictly. Persona documents one set of comma-separated
 * `t=<unix seconds>,v1=<hex>` pairs, and two such sets separated by a space while its secrets
 * rotate. Each set starts with `t` and has at least one `v1` of 64 hex digits; keys other than `t`
 * and `v1` (future schemes) are ignored. A part that is not `key=value`, an empty part, a second `t`
 * in a set, or more than a handful of sets or signatures fails. So does a header Node joined from
 * repeated ones (`<set>, <set>`): its first set ends with an empty part. Returns the reason when it
 * fails.
 */
export function parsePersonaSignature(header: string): PersonaSignatureSet[] | string {
  const texts = header.trim().split(/\s+/);
  if (texts.length > MAX_SETS) return `signature header has more than ${MAX_SETS} t=,v1= sets`;
  const sets: PersonaSignatureSet[] = [];
  for (const text of texts) {
    let timestampText: string | undefined;
    const signatures: Buffer[] = [];
    for (const part of text.split(',')) {
      const separator = part.indexOf('=');
      if (separator <= 0) return 'signature header has a part that is not key=value';
      const key = part.slice(0, separator);
      const value = part.slice(separator + 1);
      if (timestampText === undefined) {
        if (key !== 't') return 'signature set does not start with t=';
        if (!TIMESTAMP.test(value)) return 'signature timestamp t is not a whole number of seconds';
        timestampText = value;
      } else if (key === 't') {
        return 'signature set has more than one t';
      } else if (key === 'v1') {
        if (!SHA256_HEX.test(value)) return 'signature v1 is not 64 hex digits';
        if (signatures.length === MAX_SIGNATURES_PER_SET)
          return `signature set has more than ${MAX_SIGNATURES_PER_SET} v1`;
        signatures.push(Buffer.from(value, 'hex'));
      }
    }
    if (signatures.length === 0) return 'signature set has no v1';
    sets.push({ timestampText: timestampText!, timestamp: Number(timestampText), signatures });
  }
  return sets;
}

/** `HMAC-SHA256(secret, "<t>.<raw body>")`: the secret's UTF-8 bytes are the key, as given. */
export const computePersonaSignature = timestampedHmac;

export type PersonaVerification = TimestampedHmacCheck;

/**
 * Verifies a Persona delivery: one `Persona-Signature` header whose sets each carry `t` within the
 * tolerance of now (both directions) and at least one set has a `v1` equal to the HMAC of its own
 * `t` under one of the secrets. Every secret is tried against every `v1` of every set in the window,
 * in constant time, without stopping at the first match. The request authenticates until the last
 * matching set's `t` leaves the window: that is `freshUntilMs`.
 */
export function verifyPersonaRequest(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  options: PersonaVerification,
): WebhookAuthResult {
  const header = headers['persona-signature'];
  if (header === undefined)
    return { ok: false, reason: 'no Persona-Signature header', code: 'missing_credentials' };
  if (typeof header !== 'string')
    return { ok: false, reason: 'Persona-Signature is not a single header', code: 'malformed_credentials' };
  const sets = parsePersonaSignature(header);
  if (typeof sets === 'string') return { ok: false, reason: sets, code: 'malformed_credentials' };

  return checkTimestampedHmac(sets, rawBody, options);
}
