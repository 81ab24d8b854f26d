/** One body being read, until it is read or cut off: what `watch` returns and `clear` takes. */
export interface BodyDeadline {
  /** The check count when its read began. */
  readonly startedAt: number;
  readonly expire: () => void;
}

/**
 * The deadlines of the bodies being read: one timer checks them all, instead of a timer per
 * request (each cost about 1 µs of CPU per delivery in profiles of the FACEIO route). A body is cut
 * off no sooner than `timeoutMs` after its read began, and less than two checks later: a quarter of
 * `timeoutMs` at most, and one second at most (checks every `timeoutMs / 8`, at most every 500 ms).
 * The timer runs only while bodies are being read, and does not keep the process alive.
 */
export class BodyDeadlines {
  private readonly watched = new Set<BodyDeadline>();
  /** How often the deadlines are checked, and how many checks make up `timeoutMs`. */
  private readonly everyMs: number;
  private readonly checksPerTimeout: number;
  /** Checks since the timer started: a body's start is counted in checks, with no clock read. */
  private checks = 0;
  private timer?: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    this.everyMs = Math.min(500, Math.max(1, Math.floor(timeoutMs / 8)));
    this.checksPerTimeout = Math.ceil(timeoutMs / this.everyMs);
  }

  /** Calls `expire` once the body has taken too long, unless the returned deadline is cleared first. */
  watch(expire: () => void): BodyDeadline {
    const deadline: BodyDeadline = { startedAt: this.checks, expire };
    this.watched.add(deadline);
    if (!this.timer) this.timer = setInterval(() => this.check(), this.everyMs).unref();
    return deadline;
  }

  /** The body was read (or refused): its deadline no longer applies. */
  clear(deadline: BodyDeadline): void {
    this.watched.delete(deadline);
  }

  /** Bodies being read now. */
  get size(): number {
    return this.watched.size;
  }

  /**
   * A body whose read began after check n is cut off at check n + checksPerTimeout + 1: at least
   * checksPerTimeout whole intervals (>= timeoutMs) after it began, and less than two intervals more
   * (checksPerTimeout intervals exceed timeoutMs by less than one). With nothing left to watch, the
   * timer stops (and the count starts again with the next body).
   */
  private check(): void {
    this.checks++;
    for (const deadline of this.watched) {
      if (this.checks - deadline.startedAt <= this.checksPerTimeout) continue;
      this.watched.delete(deadline);
      deadline.expire();
    }
    if (this.watched.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.checks = 0;
    }
  }
}
