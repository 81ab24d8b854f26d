/** A request as FACEIO would send it: headers and the exact body bytes. */
export interface SignedFaceioRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Builds a FACEIO delivery for tests: `WWW-Authenticate: Bearer <token>` and the body serialised
 * once (pass a string to control the bytes exactly).
 */
export function signFaceioRequest(input: { token: string; body: object | string }): SignedFaceioRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  return {
    headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer ${input.token}` },
    body,
  };
}
