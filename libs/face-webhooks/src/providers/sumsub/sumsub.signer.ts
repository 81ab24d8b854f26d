import { createHmac } from 'node:crypto';

/** A request as Sumsub would send it: headers and the exact body bytes. */
export interface SignedSumsubRequest {
  /** Lower-case header names and values to send: `content-type`, `X-Payload-Digest` and (unless turned off) `X-Payload-Digest-Alg`. */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

const HASH = { HMAC_SHA256_HEX: 'sha256', HMAC_SHA512_HEX: 'sha512', HMAC_SHA1_HEX: 'sha1' } as const;

/**
 * Signs a Sumsub delivery for tests, as Sumsub's webhook documentation describes it:
 * `X-Payload-Digest` is the hex HMAC of the raw body keyed with the webhook's secret key, and
 * `X-Payload-Digest-Alg` names the algorithm (`HMAC_SHA256_HEX` by default, `HMAC_SHA512_HEX`, or
 * the legacy `HMAC_SHA1_HEX`). `algorithmHeader: false` leaves that header out. Pass the body as a
 * string to control the bytes exactly.
 */
export function signSumsubRequest(input: {
  secret: string;
  body: object | string;
  algorithm?: keyof typeof HASH;
  algorithmHeader?: boolean;
}): SignedSumsubRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const algorithm = input.algorithm ?? 'HMAC_SHA256_HEX';
  const digest = createHmac(HASH[algorithm], Buffer.from(input.secret, 'utf8'))
    .update(Buffer.from(body, 'utf8'))
    .digest('hex');
  return {
    headers: {
      'content-type': 'application/json',
      'x-payload-digest': digest,
      ...(input.algorithmHeader === false ? {} : { 'x-payload-digest-alg': algorithm }),
    },
    body,
  };
}
