import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import {
  bodyTimeoutMessage,
  earlyErrorBody,
  FACE_WEBHOOK_RAW_BODY,
  unsupportedEncoding,
} from './raw-body.js';
import type { WebhookRouteMatcher } from '../routing/webhook-route-matcher.js';

type RawBodyError = Error & { status?: number; type?: string };

/**
 * Reads the body of the module's own routes as exact bytes, up to `limit`, before Nest's JSON
 * parser sees them (that parser skips a request whose body has been read). Other routes pass
 * through untouched. Read errors are answered here, as JSON, because no Nest handler has been
 * chosen yet: 413 over the limit (at once when Content-Length says so, without reading the body),
 * 415 for a compressed body, 408 for a body still incomplete after `timeoutMs`, 400 for a body that
 * does not match its Content-Length.
 */
export function createExpressRawBodyMiddleware(
  matcher: WebhookRouteMatcher,
  limit: number,
  timeoutMs: number,
) {
  return function faceWebhooksRawBody(
    req: IncomingMessage & { [FACE_WEBHOOK_RAW_BODY]?: Buffer },
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void {
    if (!matcher.matches(req.method, req.url)) return next();
    const refused = unsupportedEncoding(req.headers);
    if (refused) return sendError(res, 415, refused);
    // A sender that trickles its body is cut off, so slow connections cannot pile up.
    const deadline = setTimeout(() => {
      sendError(res, 408, bodyTimeoutMessage(timeoutMs));
      res.once('finish', () => req.socket.destroy());
    }, timeoutMs);
    getRawBody(req, { length: req.headers['content-length'], limit }, (error: RawBodyError | null, body) => {
      clearTimeout(deadline);
      if (res.headersSent) return;
      if (error) {
        if (error.type === 'request.aborted') return; // the sender is gone; nothing to answer
        if (error.type === 'entity.too.large') {
          return sendError(res, 413, `Request body is larger than the ${limit}-byte limit`);
        }
        return sendError(res, 400, 'Request body could not be read');
      }
      req[FACE_WEBHOOK_RAW_BODY] = body;
      next();
    });
  };
}

function sendError(res: ServerResponse, statusCode: number, message: string): void {
  if (res.headersSent) return;
  const body = earlyErrorBody(statusCode, message);
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // The rest of an over-long body is not read; closing is cheaper than draining it.
  res.setHeader('Connection', 'close');
  res.end(body);
}
