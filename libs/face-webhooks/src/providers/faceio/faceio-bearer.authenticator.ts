import type { IncomingHttpHeaders } from 'node:http';
import type { SecretSet } from '../../core/constant-time.js';
import type { WebhookAuthResult } from '../../core/webhook-provider.interface.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * FACEIO puts `Bearer <token>` in `WWW-Authenticate`; some senders and proxies use
 * `Authorization`. A header repeated or carrying more than one credential does not match the
 * pattern and is refused. Tokens are compared in constant time against every accepted token.
 */
export function authenticateFaceioBearer(headers: IncomingHttpHeaders, tokens: SecretSet): WebhookAuthResult {
  const presented = [headers['www-authenticate'], headers.authorization]
    .map((value) => (typeof value === 'string' ? BEARER.exec(value)?.[1] : undefined))
    .filter((token): token is string => token !== undefined);
  if (presented.length === 0) {
    return {
      ok: false,
      reason: 'no "Bearer <token>" in WWW-Authenticate or Authorization',
      code: 'missing_credentials',
    };
  }
  // Evaluate every presented token, so the time taken does not tell which header matched.
  const matched = presented.map((token) => tokens.matches(token));
  return matched.includes(true)
    ? { ok: true }
    : { ok: false, reason: 'bearer token does not match', code: 'token_mismatch' };
}
