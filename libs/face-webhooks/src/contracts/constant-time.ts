import { hash, timingSafeEqual } from 'node:crypto';

const digest = (value: string | Buffer): Buffer => hash('sha256', value, 'buffer');

/**
 * Accepted secrets (tokens) for a presented one of any length, compared in time that depends
 * neither on where they differ nor on which one matched: every value is hashed to a fixed length,
 * and every accepted secret is compared, with no early exit. Accepted secrets are hashed once.
 */
export class SecretSet {
  private readonly digests: readonly Buffer[];

  constructor(secrets: readonly (string | Buffer)[]) {
    this.digests = secrets.map(digest);
  }

  /** Whether `presented` equals one of the secrets, compared in constant time against every one of them. */
  matches(presented: string | Buffer): boolean {
    const presentedDigest = digest(presented);
    let matched = false;
    for (const candidate of this.digests) matched = timingSafeEqual(presentedDigest, candidate) || matched;
    return matched;
  }
}

/**
 * Constant-time equality of two MACs or digests. Their lengths are not secret (a digest has a fixed
 * length, and the presented one's length is the sender's), so unequal lengths answer at once.
 */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
