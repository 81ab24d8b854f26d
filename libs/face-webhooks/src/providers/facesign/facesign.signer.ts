import { computeFaceSignSignature } from './facesign-signature.js';

/** A request as FaceSign would send it: headers and the exact body bytes. */
export interface SignedFaceSignRequest {
  /** Lower-case header names and values to send: `content-type`, `X-FaceSign-Timestamp` and `X-FaceSign-Signature`. */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/**
 * Signs a FaceSign delivery for tests: `X-FaceSign-Timestamp` and `X-FaceSign-Signature:
 * t=<ts>,v1=<hex>` over `"<ts>.<body>"`, with one `v1` per secret (as during a rotation).
 * `timestamp` is Unix seconds, default now. Pass the body as a string to control the bytes exactly.
 */
export function signFaceSignRequest(input: {
  secret: string | readonly string[];
  body: object | string;
  timestamp?: number;
}): SignedFaceSignRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const signatures = secrets.map(
    (secret) => `v1=${computeFaceSignSignature(secret, timestamp, body).toString('hex')}`,
  );
  return {
    headers: {
      'content-type': 'application/json',
      'x-facesign-timestamp': timestamp,
      'x-facesign-signature': [`t=${timestamp}`, ...signatures].join(','),
    },
    body,
  };
}
