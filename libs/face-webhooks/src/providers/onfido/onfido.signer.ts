import { createHmac } from 'node:crypto';

/** A request as Onfido would send it: headers and the exact body bytes. */
export interface SignedOnfidoRequest {
  /** Lower-case header names and values to send: `content-type` and `X-SHA2-Signature`. */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/**
 * Signs an Onfido delivery for tests, as Onfido's "Manual webhook signature verification"
 * documentation describes it: `X-SHA2-Signature` is the hex HMAC-SHA256 of the raw body, keyed with
 * the webhook's token. Onfido sends one signature (a webhook has one token): when rotating, sign with
 * the token of the webhook the delivery comes from. Pass the body as a string to control the bytes
 * exactly.
 */
export function signOnfidoRequest(input: { secret: string; body: object | string }): SignedOnfidoRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const signature = createHmac('sha256', input.secret).update(body, 'utf8').digest('hex');
  return { headers: { 'content-type': 'application/json', 'x-sha2-signature': signature }, body };
}
