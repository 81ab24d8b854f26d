import { createHmac } from 'node:crypto';

/** A request as Veriff would send it: headers and the exact body bytes. */
export interface SignedVeriffRequest {
  /** Lower-case header names and values to send: `content-type`, `X-HMAC-SIGNATURE`, and `X-AUTH-CLIENT` when an API key is given. */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/**
 * Signs a Veriff delivery for tests, as Veriff's "HMAC Authentication and Endpoint Security"
 * documentation describes it: `X-HMAC-SIGNATURE` is the lower-case hex HMAC-SHA256 of the body,
 * keyed with the integration's shared secret key, and `X-AUTH-CLIENT` carries the integration's
 * API key (when one is given). Pass the body as a string to control the bytes exactly.
 */
export function signVeriffRequest(input: {
  secret: string;
  body: object | string;
  apiKey?: string;
}): SignedVeriffRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const signature = createHmac('sha256', Buffer.from(input.secret, 'utf8'))
    .update(body, 'utf8')
    .digest('hex');
  return {
    headers: {
      'content-type': 'application/json',
      ...(input.apiKey === undefined ? {} : { 'x-auth-client': input.apiKey }),
      'x-hmac-signature': signature,
    },
    body,
  };
}
