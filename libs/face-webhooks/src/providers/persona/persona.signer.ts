import { createHmac } from 'node:crypto';

/** A request as Persona would send it: headers and the exact body bytes. */
export interface SignedPersonaRequest {
  /** Lower-case header names and values to send: `content-type` and `Persona-Signature`. */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/**
 * Signs a Persona delivery for tests, as Persona's "Checking signatures" documentation describes
 * it: `Persona-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
 * webhook secret as-is. Several secrets give several sets separated by a space, as Persona sends
 * while a secret rotates. `timestamp` is Unix seconds, default now. Pass the body as a string to
 * control the bytes exactly.
 */
export function signPersonaRequest(input: {
  secret: string | readonly string[];
  body: object | string;
  timestamp?: number;
}): SignedPersonaRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const t = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const sets = secrets.map(
    (secret) =>
      `t=${t},v1=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${t}.${body}`, 'utf8').digest('hex')}`,
  );
  return {
    headers: { 'content-type': 'application/json', 'persona-signature': sets.join(' ') },
    body,
  };
}
