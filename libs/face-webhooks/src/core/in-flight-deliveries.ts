import { Logger } from '@nestjs/common';
import { RetryLaterException } from './retry-later.exception.js';

/**
 * The deliveries being settled (handled or queued) in this process, so that shutdown can refuse
 * new ones and wait for these to finish.
 */
export class InFlightDeliveries {
  private readonly pending = new Set<Promise<unknown>>();
  private draining = false;

  /** Follows `settle()` until it ends; refused (503) once shutdown has begun. */
  track<T>(settle: () => Promise<T>): Promise<T> {
    // Refused while shutting down, so the provider delivers it to an instance that stays up.
    if (this.draining) return Promise.reject(new RetryLaterException('Shutting down; retry later'));
    const settling = settle();
    this.pending.add(settling);
    // The caller gets `settling` itself; this branch only forgets it, and swallows nothing.
    const forget = () => void this.pending.delete(settling);
    settling.then(forget, forget);
    return settling;
  }

  /** Stops taking deliveries and waits, up to `timeoutMs`, for those in flight. */
  async drain(timeoutMs: number, logger: Logger): Promise<void> {
    this.draining = true;
    if (this.pending.size === 0) return;
    logger.log(`Shutting down: waiting for ${this.pending.size} delivery(ies) in flight`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.pending]), timeout]);
    clearTimeout(timer);
  }
}
