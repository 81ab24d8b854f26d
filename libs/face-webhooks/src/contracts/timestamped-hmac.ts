import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookAuthResult } from './face-webhook-provider.interface.js';

/** One signed time and the signatures sent for it (`t=<unix>,v1=<hex>[,v1=...]`, already parsed). */
export interface SignedTimestamp {
  /** `t` exactly as sent: the signed string starts with it. */
  readonly timestampText: string;
  /** `t` as a number, Unix seconds. */
  readonly timestamp: number;
  /** The `v1` values, decoded (32 bytes each). */
  readonly signatures: readonly Buffer[];
}

/** `HMAC-SHA256(secret, "<t>.<raw body>")`, the secret's UTF-8 bytes as key, over the exact bytes. */
export function timestampedHmac(
  secret: string,
  timestamp: number | string,
  rawBody: Buffer | string,
): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** What {@link checkTimestampedHmac} checks the signatures against. */
export interface TimestampedHmacCheck {
  /** The secrets a signature may be made with (several while rotating). */
  readonly secrets: readonly string[];
  /** Largest accepted |now - t|, in seconds, in both directions. */
  readonly toleranceSeconds: number;
  /** Now, in Unix seconds; default the clock. */
  readonly nowSeconds?: number;
}

/**
 * The check FaceSign, Stripe and Persona share (and many senders besides): some `t` within the
 * tolerance of now, in both directions, and a signature of that `t` equal to the HMAC under one of
 * the secrets. Every secret is tried against every signature of every set in the window, in
 * constant time, with no early exit. Success carries `freshUntilMs`: when the last matching `t`
 * leaves the window, the time this exact request stops authenticating.
 */
export function checkTimestampedHmac(
  sets: readonly SignedTimestamp[],
  rawBody: Buffer,
  check: TimestampedHmacCheck,
): WebhookAuthResult {
  const now = check.nowSeconds ?? Math.floor(Date.now() / 1000);
  const inWindow = sets.filter((set) => Math.abs(now - set.timestamp) <= check.toleranceSeconds);
  if (inWindow.length === 0) {
    const skew = now - (sets[0]?.timestamp ?? now);
    return {
      ok: false,
      reason: `signature timestamp is ${skew > 0 ? 'older' : 'newer'} than ${check.toleranceSeconds}s`,
      code: 'timestamp_outside_window',
    };
  }
  let freshUntilSeconds = -1;
  for (const set of inWindow) {
    let matched = false;
    for (const secret of check.secrets) {
      const expected = timestampedHmac(secret, set.timestampText, rawBody);
      for (const signature of set.signatures) {
        matched = (signature.length === expected.length && timingSafeEqual(expected, signature)) || matched;
      }
    }
    if (matched) freshUntilSeconds = Math.max(freshUntilSeconds, set.timestamp + check.toleranceSeconds);
  }
  if (freshUntilSeconds < 0) {
    return { ok: false, reason: 'no v1 signature matches a configured secret', code: 'signature_mismatch' };
  }
  return { ok: true, freshUntilMs: freshUntilSeconds * 1000 };
}
