import { type CanActivate, type ExecutionContext, ForbiddenException } from '@nestjs/common';
import type { FaceWebhooksConsoleOptions } from './face-webhooks-console.options.js';

/**
 * The console's own checks, before the app's guard: the app's `canAccess` predicate, and on
 * requests that change something (replay), a custom header that a cross-site form cannot send,
 * so a logged-in operator's browser cannot be made to replay events from another site.
 */
export function createConsoleAccessGuard(options: FaceWebhooksConsoleOptions): CanActivate {
  return {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const request = context
        .switchToHttp()
        .getRequest<{ method: string; headers: Record<string, unknown> }>();
      if (options.canAccess && !(await options.canAccess(request))) throw new ForbiddenException();
      if (request.method !== 'GET' && request.headers['x-face-webhooks-console'] !== '1') {
        throw new ForbiddenException('Console actions need the X-Face-Webhooks-Console: 1 header');
      }
      return true;
    },
  };
}
