import { createHmac } from 'node:crypto';

/** A request as Stripe would send it: headers and the exact body bytes. */
export interface SignedStripeIdentityRequest {
  /** Lower-case header names and values to send: `content-type` and `Stripe-Signature`. */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/**
 * Signs a delivery as Stripe documents it (docs.stripe.com/webhooks, "Verify signatures
 * manually"): `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the key
 * being the endpoint's whole signing secret (`whsec_...`) as text. One `v1` per secret, as Stripe
 * sends while an endpoint secret is rolled; `v0` adds the fake signature Stripe puts on test-mode
 * events, which receivers ignore. `timestamp` is Unix seconds, default now. Pass the body as a
 * string to control the bytes exactly.
 */
export function signStripeIdentityRequest(input: {
  secret: string | readonly string[];
  body: object | string;
  timestamp?: number;
  v0?: boolean;
}): SignedStripeIdentityRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const t = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const parts = [`t=${t}`];
  for (const secret of secrets)
    parts.push(
      `v1=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${t}.${body}`, 'utf8').digest('hex')}`,
    );
  if (input.v0)
    parts.push(`v0=${createHmac('sha256', 'not-a-published-secret').update(`${t}.${body}`).digest('hex')}`);
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': parts.join(','),
    },
    body,
  };
}
