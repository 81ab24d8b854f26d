import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';

/** One `t=<unix seconds>,v1=<hex>` set of a `Persona-Signature` header. */
export interface PersonaSignatureSet {
  /** `t` exactly as sent: the signed string starts with it. */
  readonly timestampText: string;
  readonly timestamp: number;
  readonly signatures: readonly Buffer[];
}

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
export function computePersonaSignature(
  secret: string,
  timestamp: number | string,
  rawBody: Buffer | string,
): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

export interface PersonaVerification {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  readonly nowSeconds?: number;
}

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

  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const inWindow = sets.filter((set) => Math.abs(now - set.timestamp) <= options.toleranceSeconds);
  if (inWindow.length === 0) {
    const skew = now - sets[0]!.timestamp;
    return {
      ok: false,
      reason: `signature timestamp is ${skew > 0 ? 'older' : 'newer'} than ${options.toleranceSeconds}s`,
      code: 'timestamp_outside_window',
    };
  }
  let freshUntilSeconds = -1;
  for (const set of inWindow) {
    let matched = false;
    for (const secret of options.secrets) {
      const expected = computePersonaSignature(secret, set.timestampText, rawBody);
      for (const signature of set.signatures) matched = timingSafeEqual(expected, signature) || matched;
    }
    if (matched) freshUntilSeconds = Math.max(freshUntilSeconds, set.timestamp + options.toleranceSeconds);
  }
  if (freshUntilSeconds < 0)
    return { ok: false, reason: 'no v1 signature matches a configured secret', code: 'signature_mismatch' };
  return { ok: true, freshUntilMs: freshUntilSeconds * 1000 };
}
