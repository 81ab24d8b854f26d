import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { FaceEventQueue } from '../contracts/face-event-queue.interface.js';
import { FaceWebhookIdempotencyStore } from '../pipeline/deduplication/idempotency-store.js';

/** What the indicator checks beyond reachability. */
export interface FaceWebhooksHealthOptions {
  /** Down when the queue's failed set holds more events than this. Default: not checked. */
  readonly maxFailedEvents?: number;
  /** How long each check may take, in ms. Default 2 000. */
  readonly timeoutMs?: number;
}

/**
 * A `@nestjs/terminus` health indicator: the de-duplication store reachable, the queue reachable
 * (queued mode), and the queue's failed set no larger than the app's threshold. Down names why.
 * Import `FaceWebhooksHealthModule` to inject it.
 *
 * @example
 * ```ts
 * import { Controller, Get } from '@nestjs/common';
 * import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
 * import { FaceWebhooksHealthIndicator } from 'nestjs-face-webhooks/health';
 *
 * @Controller('health')
 * export class HealthController {
 *   constructor(
 *     private readonly health: HealthCheckService,
 *     private readonly faceWebhooks: FaceWebhooksHealthIndicator,
 *   ) {}
 *
 *   @Get()
 *   @HealthCheck()
 *   check() {
 *     return this.health.check([() => this.faceWebhooks.isHealthy('face-webhooks', { maxFailedEvents: 0 })]);
 *   }
 * }
 * ```
 */
@Injectable()
export class FaceWebhooksHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
    @Optional() @Inject(FaceEventQueue) private readonly queue?: FaceEventQueue,
  ) {}

  /**
   * Checks the store and, in queued mode, the queue; up with their details, or down naming each
   * problem (`de-duplication store unreachable: ...`, `3 events in the failed set (more than 0)`).
   *
   * @param key - The key of the result in the health check's answer. Default `'face-webhooks'`.
   * @param options - The failed-set threshold and the time each check may take.
   */
  async isHealthy(
    key = 'face-webhooks',
    options: FaceWebhooksHealthOptions = {},
  ): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const timeoutMs = options.timeoutMs ?? 2_000;
    const problems: string[] = [];
    const details: Record<string, unknown> = {};

    const store = await settle(this.store.ping(), timeoutMs);
    details.store = store.ok ? 'up' : 'down';
    if (!store.ok) problems.push(`de-duplication store unreachable: ${store.reason}`);

    if (this.queue) {
      const failed = await settle(this.queue.failedCount(), timeoutMs);
      details.queue = failed.ok ? 'up' : 'down';
      if (!failed.ok) problems.push(`queue unreachable: ${failed.reason}`);
      else {
        details.failedEvents = failed.value;
        const max = options.maxFailedEvents;
        if (max !== undefined && failed.value > max) {
          problems.push(`${failed.value} events in the failed set (more than ${max})`);
        }
      }
    }
    return problems.length === 0 ? indicator.up(details) : indicator.down({ ...details, problems });
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; reason: string };

async function settle<T>(promise: Promise<T>, timeoutMs: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return { ok: true, value: await Promise.race([promise, timeout]) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
