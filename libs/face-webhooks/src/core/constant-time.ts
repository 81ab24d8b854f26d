import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

/**
 * Compares a presented secret with every accepted one in time that depends neither on where the
 * strings differ nor on which accepted secret matched: both sides are hashed to a fixed length and
 * every candidate is compared, with no early exit.
 */
export function matchesAnySecret(
  presented: string | Buffer,
  accepted: readonly (string | Buffer)[],
): boolean {
  const presentedDigest = digest(presented);
  let matched = false;
  for (const candidate of accepted) {
    matched = timingSafeEqual(presentedDigest, digest(candidate)) || matched;
  }
  return matched;
}

/** Constant-time equality of two byte strings of possibly different lengths. */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
