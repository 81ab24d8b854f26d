import { ServiceUnavailableException } from '@nestjs/common';

/** 503 with `Retry-After`: the delivery could not be settled now, and the provider should retry it. */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}
