import type { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import getRawBody from 'raw-body';

/** What reading a webhook body came to: the bytes, an error to answer, or a sender that left. */
export type WebhookBodyRead =
  | { readonly body: Buffer }
  | { readonly status: 400 | 413; readonly message: string }
  | { readonly aborted: true };

type RawBodyError = Error & { type?: string };

/** Told of each delivery the readers answer themselves (413, 408, 415, 400), for the metrics. */
export type RefusalListener = (provider: string, status: number) => void;

const logger = new Logger('FaceWebhooks');

/**
 * Reads a webhook body as exact bytes, up to `limit` (over it at once when Content-Length says so,
 * without reading), the same way on both adapters, so both answer the same errors with the same
 * bodies. A sender that disconnects mid-body is an ordinary event, not an error: it is logged once
 * at debug level (an error line per connection would let anyone flood the logs).
 */
export function readWebhookBody(
  stream: Readable,
  path: string,
  contentLength: string | undefined,
  limit: number,
  callback: (result: WebhookBodyRead) => void,
): void {
  getRawBody(stream, { length: contentLength, limit }, (error: RawBodyError | null, body: Buffer) => {
    if (!error) return callback({ body });
    if (error.type === 'request.aborted') {
      logger.debug(`Delivery to ${path.slice(0, 200)} aborted by the sender before its body was complete`);
      return callback({ aborted: true });
    }
    if (error.type === 'entity.too.large') {
      return callback({ status: 413, message: `Request body is larger than the ${limit}-byte limit` });
    }
    return callback({ status: 400, message: 'Request body could not be read' });
  });
}
