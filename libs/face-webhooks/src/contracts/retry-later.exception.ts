import { ServiceUnavailableException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';

/** 503 with `Retry-After`: the delivery could not be settled now, and the provider should retry it. */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}

/** Puts `Retry-After` on the response when `error` is a {@link RetryLaterException}. */
export function setRetryAfter(adapterHost: HttpAdapterHost, response: object, error: unknown): void {
  if (error instanceof RetryLaterException) {
    adapterHost.httpAdapter.setHeader(response, 'Retry-After', String(error.retryAfterSeconds));
  }
}
