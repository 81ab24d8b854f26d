import { Logger } from '@nestjs/common';
import { RetryLaterException } from '../contracts/retry-later.exception.js';

/**
 * How many deliveries are being settled (handled or queued) in this process, so that shutdown can
 * refuse new ones and wait for these to finish. A count, not a set of promises: following each
 * delivery's promise cost a derived promise and a hashed set entry per delivery.
 */
export class InFlightDeliveries {
  private count = 0;
  private draining = false;
  private idle?: () => void;

  /**
   * Counts one more delivery in flight; every `begin()` that returns is matched by one `end()`.
   * Throws 503 once shutdown has begun, so the provider delivers it to an instance that stays up.
   */
  begin(): void {
    if (this.draining) throw new RetryLaterException('Shutting down; retry later');
    this.count++;
  }

  /** One delivery is settled, whatever its outcome. */
  end(): void {
    this.count--;
    if (this.count === 0) this.idle?.();
  }

  /** Deliveries in flight now. */
  get size(): number {
    return this.count;
  }

  /** Stops taking deliveries and waits, up to `timeoutMs`, for those in flight. */
  async drain(timeoutMs: number, logger: Logger): Promise<void> {
    this.draining = true;
    if (this.count === 0) return;
    logger.log(`Shutting down: waiting for ${this.count} delivery(ies) in flight`);
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  }
}
