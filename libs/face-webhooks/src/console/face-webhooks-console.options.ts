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
  /**
   * Called when an alert is raised (or its count grows) and when it clears: forward it to Slack,
   * e-mail or a pager. Checked every `alertCheckIntervalMs` whether or not anyone has the console
   * open. Errors it throws are logged, never retried.
   */
  readonly onAlert?: (alert: FaceWebhooksConsoleAlert) => void | Promise<void>;
  /** How often alerts are checked for `onAlert`. Default 15 000 ms. */
  readonly alertCheckIntervalMs?: number;
  /**
   * A provider's refusals in the last 5 minutes that raise an alert even while some of its
   * deliveries are accepted (a spike: probing, or a secret rotated on one instance). A provider
   * whose deliveries are all refused alerts at the first refusal. Default 50.
   */
  readonly refusalAlertThreshold?: number;
  /**
   * The console user a replay is recorded as, from the request. Default: the HTTP Basic user
   * name, if the request has one.
   */
  readonly operatorOf?: (request: unknown) => string | undefined;
  /**
   * What the detail view may show of a delivery's body. By default the console shows and keeps no
   * body field: these are biometric and identity payloads. Given, it is called once per
   * authenticated delivery with the parsed body and returns the fields to show, redacted as you
   * choose (or `undefined` for none); only what it returns is kept in the log, at most 4 KB of
   * JSON. A hook that throws shows nothing for that delivery.
   */
  readonly payload?: (delivery: FaceWebhooksConsolePayloadInput) => Record<string, unknown> | undefined;
}

/** What the console's `payload` hook is given. */
export interface FaceWebhooksConsolePayloadInput {
  /** The provider it came to. */
  readonly provider: string;
  /** The tenant, for a tenant route's delivery. */
  readonly tenant?: string;
  /** The event type, when the body validated. */
  readonly type?: string;
  /** The event id, when the body validated. */
  readonly id?: string;
  /** The delivery's JSON body, parsed; never a header or a credential. */
  readonly body: unknown;
}

/** Something an operator must see at once, as the console shows it and `onAlert` gets it. */
export interface FaceWebhooksConsoleAlert {
  /** Stable while the cause lasts, e.g. `refusals:faceio` or `failed:faceio`. */
  readonly key: string;
  /**
   * `refusals`: a provider's deliveries all refused in the last 5 minutes, or `refusalAlertThreshold`
   * of them refused; `failed`: events waiting for a replay.
   */
  readonly kind: 'refusals' | 'failed';
  /** The provider it is about. */
  readonly provider: string;
  /** `raised` when it starts or its count grows, `cleared` when its cause is gone. */
  readonly state: 'raised' | 'cleared';
  /** Refused deliveries, or failed events. */
  readonly count: number;
  /** One sentence for a person. */
  readonly message: string;
  /** ISO time. */
  readonly at: string;
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
  const interval = options.alertCheckIntervalMs;
  if (interval !== undefined && !(Number.isInteger(interval) && interval >= 100)) {
    problems.push('console.alertCheckIntervalMs must be an integer of at least 100');
  }
  const threshold = options.refusalAlertThreshold;
  if (threshold !== undefined && !(Number.isInteger(threshold) && threshold > 0)) {
    problems.push('console.refusalAlertThreshold must be a positive integer');
  }
  if (problems.length > 0) throw new FaceWebhooksConfigError(problems);
  return options;
}
