import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type Observable, tap } from 'rxjs';
import { setRetryAfter } from '../../contracts/retry-later.exception.js';
import { deliveryOfRequest } from './app-route-delivery.js';

/**
 * The interceptor `@FaceWebhookRoute()` puts on a route: runs the pipe and the handler inside the
 * delivery's span (so handler spans are its children), answers 202 when the handler returns a
 * queued ack, puts `Retry-After` on a 503, and ends the delivery's trace with what it came to.
 */
@Injectable()
export class FaceWebhookRouteInterceptor implements NestInterceptor {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const delivery = deliveryOfRequest(http.getRequest<object>());
    if (!delivery) return next.handle();
    const response = http.getResponse<object>();
    // Nest binds the handler to the async context `handle()` is called in: the span's, so the
    // handlers' spans are its children.
    return delivery.trace
      .within(() => next.handle())
      .pipe(
        tap({
          next: (result) => {
            if (delivery.ack?.queued && result === delivery.ack) {
              this.adapterHost.httpAdapter.status(response, HttpStatus.ACCEPTED);
            }
            // A handler that did not call the pipeline took the event itself: accepted.
            delivery.trace.succeed(delivery.ack ?? {});
          },
          complete: () => delivery.trace.succeed(delivery.ack ?? {}),
          error: (error: unknown) => {
            setRetryAfter(this.adapterHost, response, error);
            delivery.trace.fail(error);
          },
        }),
      );
  }
}
