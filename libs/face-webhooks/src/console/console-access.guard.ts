import { type CanActivate, type ExecutionContext, ForbiddenException } from '@nestjs/common';
import type { FaceWebhooksConsoleOptions } from './face-webhooks-console.options.js';

/** The policy of every console response but the page's, which adds its script's nonce. */
export const CONSOLE_API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The page's policy: its one script and one style element, by this response's nonce, and nothing else. */
export const consolePageCsp = (nonce: string) =>
  `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; ` +
  "img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface ConsoleRequest {
  method: string;
  headers: Record<string, unknown>;
}

/** Sets a header on an Express response or a Fastify reply. */
export function setHeader(response: unknown, name: string, value: string): void {
  (response as { header(name: string, value: string): unknown }).header(name, value);
}

/**
 * The console's own checks, before the app's guard. Every response (a refusal too) is neither
 * framed, cached nor sniffed. Then the app's `canAccess` predicate, and on requests that change
 * something (replay): a custom header that a cross-site form cannot send, and an `Origin` (or
 * `Sec-Fetch-Site`) that says the request comes from the console's own origin, so a logged-in
 * operator's browser cannot be made to replay events from another site or origin.
 */
export function createConsoleAccessGuard(options: FaceWebhooksConsoleOptions): CanActivate {
  return {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const http = context.switchToHttp();
      const request = http.getRequest<ConsoleRequest>();
      const response = http.getResponse<unknown>();
      setHeader(response, 'Cache-Control', 'no-store');
      setHeader(response, 'X-Content-Type-Options', 'nosniff');
      setHeader(response, 'X-Frame-Options', 'DENY');
      setHeader(response, 'Referrer-Policy', 'no-referrer');
      setHeader(response, 'Content-Security-Policy', CONSOLE_API_CSP);
      if (options.canAccess && !(await options.canAccess(request))) throw new ForbiddenException();
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        if (request.headers['x-face-webhooks-console'] !== '1') {
          throw new ForbiddenException('Console actions need the X-Face-Webhooks-Console: 1 header');
        }
        if (!sameOrigin(request)) {
          throw new ForbiddenException('Console actions are accepted only from the console’s own origin');
        }
      }
      return true;
    },
  };
}

/**
 * Whether a state-changing request comes from the console's origin: a browser sends `Origin` on
 * every POST, and `Sec-Fetch-Site`; a client without either (curl, a script) is not a browser
 * that another site can drive.
 */
function sameOrigin(request: ConsoleRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  const host = request.headers['x-forwarded-host'] ?? request.headers.host;
  try {
    return typeof host === 'string' && new URL(origin).host === host.split(',')[0]!.trim();
  } catch {
    return false;
  }
}
