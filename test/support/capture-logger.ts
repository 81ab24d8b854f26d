import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps what was logged, so tests can assert on it; prints nothing. */
export class CaptureLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];

  log(message: unknown): void {
    this.push('log', message);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', [message, ...rest].join('\n'));
  }
  warn(message: unknown): void {
    this.push('warn', message);
  }
  debug(message: unknown): void {
    this.push('debug', message);
  }
  verbose(message: unknown): void {
    this.push('verbose', message);
  }

  /** Lines of a level whose text contains every given fragment. */
  find(level: string, ...fragments: string[]): string[] {
    return this.lines
      .filter((line) => line.level === level && fragments.every((f) => line.message.includes(f)))
      .map((line) => line.message);
  }

  private push(level: string, message: unknown): void {
    this.lines.push({ level, message: String(message) });
  }
}
