import type { IncomingHttpHeaders } from 'node:http';
import type { SecretSet } from '../../contracts/constant-time.js';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * FACEIO puts `Bearer <token>` in `WWW-Authenticate`; some senders and proxies use
 * `Authorization`. A header repeated or carrying more than one credential does not match the
 * pattern and is refused. Tokens are compared in constant time against every accepted token.
 */
export function authenticateFaceioBearer(headers: IncomingHttpHeaders, tokens: SecretSet): WebhookAuthResult {
  const fromWwwAuthenticate = bearerToken(headers['www-authenticate']);
  const fromAuthorization = bearerToken(headers.authorization);
  if (fromWwwAuthenticate === undefined && fromAuthorization === undefined) {
    return {
      ok: false,
      reason: 'no "Bearer <token>" in WWW-Authenticate or Authorization',
      code: 'missing_credentials',
    };
  }
  // Evaluate every presented token, so the time taken does not tell which header matched.
  let matched = fromWwwAuthenticate !== undefined && tokens.matches(fromWwwAuthenticate);
  matched = (fromAuthorization !== undefined && tokens.matches(fromAuthorization)) || matched;
  return matched ? ACCEPTED : { ok: false, reason: 'bearer token does not match', code: 'token_mismatch' };
}

const ACCEPTED: WebhookAuthResult = Object.freeze({ ok: true });

/** The token of a single `Bearer <token>` header value; a repeated header (an array) has none. */
function bearerToken(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? BEARER.exec(value)?.[1] : undefined;
}
