import { hash } from 'node:crypto';
import { parseDictionary } from 'structured-headers';
import { bytesEqual } from '../../contracts/constant-time.js';

const ALGORITHMS: Readonly<Record<string, string>> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

/** One SHA-256 digest of 32 bytes and nothing else, as IDaaS sends it. */
const SHA256_ONLY = /^sha-256=:([A-Za-z0-9+/]{43}=):$/;

/**
 * Checks an RFC 9530 `Content-Digest` against the raw body. Every digest given in an algorithm we
 * support (`sha-256`, `sha-512`) must match, and at least one must be given. Returns the reason on
 * failure. The header IDaaS sends, one SHA-256 digest, is read without the general parser (with
 * the same result: property-tested against {@link checkDigestDictionary}).
 */
export function checkContentDigest(
  header: string | string[] | undefined,
  rawBody: Buffer,
): string | undefined {
  if (typeof header !== 'string') return 'no Content-Digest header';
  const sha256 = SHA256_ONLY.exec(header)?.[1];
  if (sha256 === undefined) return checkDigestDictionary(header, rawBody);
  return bytesEqual(Buffer.from(sha256, 'base64'), hash('sha256', rawBody, 'buffer'))
    ? undefined
    : 'Content-Digest sha-256 does not match the body';
}

/** {@link checkContentDigest} for any header, through the general structured-field parser. */
export function checkDigestDictionary(header: string, rawBody: Buffer): string | undefined {
  let digests;
  try {
    digests = parseDictionary(header);
  } catch {
    return 'Content-Digest is not a structured dictionary';
  }
  let checked = 0;
  for (const [algorithm, member] of digests) {
    const hashName = ALGORITHMS[algorithm];
    if (!hashName) continue;
    const value = member[0];
    if (!(value instanceof ArrayBuffer)) return `Content-Digest ${algorithm} is not a byte sequence`;
    if (!bytesEqual(Buffer.from(value), hash(hashName, rawBody, 'buffer'))) {
      return `Content-Digest ${algorithm} does not match the body`;
    }
    checked += 1;
  }
  return checked > 0 ? undefined : 'Content-Digest has no sha-256 or sha-512 digest';
}

/** `sha-256=:<base64>:` for a body, as IDaaS sends it. */
export function contentDigestOf(
  rawBody: Buffer | string,
  algorithm: 'sha-256' | 'sha-512' = 'sha-256',
): string {
  return `${algorithm}=:${hash(ALGORITHMS[algorithm]!, rawBody, 'base64')}:`;
}
