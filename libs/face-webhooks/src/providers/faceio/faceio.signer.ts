/** A request as FACEIO would send it: headers and the exact body bytes. */
export interface SignedFaceioRequest {
  /** Lower-case header names and values to send: `content-type` and `WWW-Authenticate: Bearer <token>`. */
  readonly headers: Record<string, string>;
  /** The exact body to send (FACEIO signs nothing, but the receiver parses these bytes). */
  readonly body: string;
}

/**
 * Builds a FACEIO delivery for tests: `WWW-Authenticate: Bearer <token>` and the body serialised
 * once (pass a string to control the bytes exactly). Every provider has such a signer in
 * `nestjs-face-webhooks/testing` (`signStripeIdentityRequest`, `signPersonaRequest`, ...), and a
 * fixture that gives a realistic body.
 *
 * @example
 * ```ts
 * import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
 *
 * const { headers, body } = signFaceioRequest({
 *   token: process.env.FACEIO_WEBHOOK_TOKEN!,
 *   body: faceioFixture('ENROLL', { facialId: 'f-1024' }),
 * });
 * const response = await fetch('http://127.0.0.1:3000/webhooks/faceio', { method: 'POST', headers, body });
 * console.log(response.status); // 200
 * ```
 */
export function signFaceioRequest(input: { token: string; body: object | string }): SignedFaceioRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  return {
    headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer ${input.token}` },
    body,
  };
}
