import type { LoggerService } from '@nestjs/common';

/** How often, at most, unknown tenants of one provider make a warning. */
export const UNKNOWN_TENANT_LOG_PERIOD_MS = 60_000;

/**
 * Says that deliveries came for tenants the lookup does not know, without a warning per delivery:
 * tenant ids are the sender's to make up, and a flood of them must not flood the logs. Each one is
 * a debug line with its tenant id. Per provider, the first one is also a warning at once; those
 * that follow within the period are counted, and the count is one warning when the period ends (a
 * steady flood: one line per period).
 */
export class UnknownTenantLog {
  private readonly periods = new Map<string, { count: number; last: string; timer: NodeJS.Timeout }>();

  constructor(
    private readonly logger: Pick<LoggerService, 'warn' | 'debug'>,
    private readonly periodMs = UNKNOWN_TENANT_LOG_PERIOD_MS,
  ) {}

  report(provider: string, tenant: string): void {
    this.logger.debug?.(`Rejected ${provider} delivery for unknown tenant ${tenant}`);
    const period = this.periods.get(provider);
    if (period) {
      period.count++;
      period.last = tenant;
      return;
    }
    this.logger.warn(
      `Rejected ${provider} delivery for unknown tenant ${tenant} (more within ${this.seconds} s are counted in one line)`,
    );
    this.open(provider, tenant);
  }

  /** Clears the timers (the counts not yet said are dropped). */
  stop(): void {
    for (const { timer } of this.periods.values()) clearTimeout(timer);
    this.periods.clear();
  }

  private open(provider: string, last: string): void {
    const timer = setTimeout(() => this.close(provider), this.periodMs);
    timer.unref();
    this.periods.set(provider, { count: 0, last, timer });
  }

  private close(provider: string): void {
    const period = this.periods.get(provider);
    this.periods.delete(provider);
    if (!period || period.count === 0) return;
    this.logger.warn(
      `Rejected ${period.count} more ${provider} deliveries for unknown tenants in the last ${this.seconds} s (the last for ${period.last})`,
    );
    this.open(provider, period.last);
  }

  private get seconds(): number {
    return Math.round(this.periodMs / 1000);
  }
}
