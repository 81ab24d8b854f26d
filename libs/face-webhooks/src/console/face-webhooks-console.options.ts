import type { CanActivate, Type } from '@nestjs/common';
import { FaceWebhooksConfigError } from '../contracts/face-webhooks-config.error.js';

/** The delivery console: off unless given, and then only behind an access check of the app's. */
export interface FaceWebhooksConsoleOptions {
  /** Where the page is mounted (after the global prefix), e.g. `'admin/webhooks'`. */
  readonly path: string;
  /** A Nest guard class that lets operators in (its dependencies must be global providers). */
  readonly guard?: Type<CanActivate>;
  /** Or a predicate over the request (Express or Fastify's), e.g. a session or header check. */
  readonly canAccess?: (request: unknown) => boolean | Promise<boolean>;
  /** How many recent deliveries the log keeps. Default 1 000. */
  readonly maxEntries?: number;
}

/** Checks the console options at bootstrap: no access check means no console, and no start. */
export function checkConsoleOptions(options: FaceWebhooksConsoleOptions): FaceWebhooksConsoleOptions {
  const problems: string[] = [];
  if (!options.guard && !options.canAccess) {
    problems.push(
      'console needs an access check: give console.guard (a Nest guard) or console.canAccess (a predicate); ' +
        'the console shows every delivery and can replay events',
    );
  }
  if (!/^[A-Za-z0-9._~/-]+$/.test(options.path.replace(/^\/+|\/+$/g, ''))) {
    problems.push('console.path may hold only letters, digits, . _ ~ - and /');
  }
  const max = options.maxEntries;
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    problems.push('console.maxEntries must be a positive integer');
  }
  if (problems.length > 0) throw new FaceWebhooksConfigError(problems);
  return options;
}
