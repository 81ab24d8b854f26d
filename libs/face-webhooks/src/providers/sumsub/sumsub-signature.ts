import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bytesEqual } from '../../contracts/constant-time.js';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';

/** The digest algorithms Sumsub names in `X-Payload-Digest-Alg`, and what each means. */
export const SUMSUB_DIGEST_ALGORITHMS = {
  HMAC_SHA256_HEX: { hash: 'sha256', hexLength: 64 },
  HMAC_SHA512_HEX: { hash: 'sha512', hexLength: 128 },
  HMAC_SHA1_HEX: { hash: 'sha1', hexLength: 40 },
} as const;
export type SumsubDigestAlgorithm = keyof typeof SUMSUB_DIGEST_ALGORITHMS;

/**
 * The algorithm of a delivery without `X-Payload-Digest-Alg`: Sumsub's default. It is also the
 * weakest one the library accepts without `allowSha1`, so a missing header lowers nothing.
 */
export const SUMSUB_DEFAULT_DIGEST_ALGORITHM: SumsubDigestAlgorithm = 'HMAC_SHA256_HEX';

export interface SumsubVerification {
  /** The webhook secret keys, as given; every one is tried. */
  readonly secrets: readonly string[];
  /** Accept `HMAC_SHA1_HEX`. */
  readonly allowSha1: boolean;
}

/** The hex digest Sumsub sends: HMAC of the exact body bytes, keyed with the secret's UTF-8 bytes. */
export function computeSumsubDigest(
  secret: string,
  rawBody: Buffer | string,
  algorithm: SumsubDigestAlgorithm = SUMSUB_DEFAULT_DIGEST_ALGORITHM,
): string {
  const { hash } = SUMSUB_DIGEST_ALGORITHMS[algorithm];
  return createHmac(hash, Buffer.from(secret, 'utf8')).update(rawBody).digest('hex');
}

const isAlgorithm = (value: string): value is SumsubDigestAlgorithm =>
  Object.prototype.hasOwnProperty.call(SUMSUB_DIGEST_ALGORITHMS, value);

/**
 * Verifies a Sumsub delivery: one `X-Payload-Digest` header of hex digits, the HMAC of the raw body
 * under one of the secrets, with the algorithm of one `X-Payload-Digest-Alg` header (absent:
 * `HMAC_SHA256_HEX`). The algorithm must be one the app accepts (SHA-1 only with `allowSha1`), and
 * the digest exactly its length; a repeated header (Node joins it with `, `), an unknown algorithm
 * or anything malformed fails before any HMAC is computed. Every secret is tried, in constant time,
 * with no early exit. Sumsub signs no time: the event's age is checked after validation.
 */
export function verifySumsubRequest(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  options: SumsubVerification,
): WebhookAuthResult {
  const digest = headers['x-payload-digest'];
  const algorithmHeader = headers['x-payload-digest-alg'];
  if (digest === undefined)
    return { ok: false, reason: 'no X-Payload-Digest header', code: 'missing_credentials' };
  if (typeof digest !== 'string')
    return { ok: false, reason: 'X-Payload-Digest is not a single header', code: 'malformed_credentials' };
  if (algorithmHeader !== undefined && typeof algorithmHeader !== 'string')
    return {
      ok: false,
      reason: 'X-Payload-Digest-Alg is not a single header',
      code: 'malformed_credentials',
    };
  const algorithm = algorithmHeader ?? SUMSUB_DEFAULT_DIGEST_ALGORITHM;
  if (!isAlgorithm(algorithm))
    return {
      ok: false,
      reason: 'X-Payload-Digest-Alg is not HMAC_SHA256_HEX, HMAC_SHA512_HEX or HMAC_SHA1_HEX',
      code: 'malformed_credentials',
    };
  if (algorithm === 'HMAC_SHA1_HEX' && !options.allowSha1)
    return {
      ok: false,
      reason: 'HMAC_SHA1_HEX digest while sumsub.allowSha1 is off',
      code: 'legacy_signature_disabled',
    };
  const { hexLength } = SUMSUB_DIGEST_ALGORITHMS[algorithm];
  if (digest.length !== hexLength || !/^[0-9a-fA-F]+$/.test(digest))
    return {
      ok: false,
      reason: `X-Payload-Digest is not ${hexLength} hex digits (${algorithm})`,
      code: 'malformed_credentials',
    };
  const presented = Buffer.from(digest, 'hex');
  let matched = false;
  for (const secret of options.secrets) {
    const expected = Buffer.from(computeSumsubDigest(secret, rawBody, algorithm), 'hex');
    matched = bytesEqual(expected, presented) || matched;
  }
  return matched
    ? { ok: true }
    : { ok: false, reason: 'no secret key matches X-Payload-Digest', code: 'signature_mismatch' };
}
