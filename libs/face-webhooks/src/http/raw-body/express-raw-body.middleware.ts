import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BodyRoutes,
  earlyErrorBody,
  FACE_WEBHOOK_RAW_BODY,
  notFoundMessage,
  unsupportedEncoding,
} from './raw-body.js';
import { readWebhookBody, type RefusalListener, type WebhookBodyLimits } from './read-webhook-body.js';

/**
 * Reads the body of the module's own routes as exact bytes, within `limits`, before Nest's JSON
 * parser sees them (that parser skips a request whose body has been read). Other routes pass
 * through untouched. Read errors are answered here, as JSON, because no Nest handler has been
 * chosen yet: 404 for a near miss of a webhook route (see `WebhookRouteMatcher`), 413 over
 * the limit, 415 for a compressed body, 408 for a body still incomplete after the time limit, 400 for
 * a body that does not match its Content-Length.
 */
export function createExpressRawBodyMiddleware(
  routes: BodyRoutes,
  limits: WebhookBodyLimits,
  onRefused: RefusalListener,
) {
  return function faceWebhooksRawBody(
    req: IncomingMessage & { [FACE_WEBHOOK_RAW_BODY]?: Buffer },
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void {
    const match = routes(req.method, req.url);
    if (match === 'other') return next();
    if (match === 'near-miss') return sendError(res, 404, notFoundMessage(req.method, req.url));
    const refuse = (status: number, message: string) => {
      onRefused(match.provider, status);
      sendError(res, status, message);
    };
    const refused = unsupportedEncoding(req.headers);
    if (refused) return refuse(415, refused);
    // A sender that trickles its body is cut off (408), so slow connections cannot pile up.
    readWebhookBody(req, req.url ?? '', req.headers['content-length'], limits, (read) => {
      if (res.headersSent || 'aborted' in read) return;
      if ('status' in read) {
        refuse(read.status, read.message);
        if (read.status === 408) res.once('finish', () => req.socket.destroy());
        return;
      }
      req[FACE_WEBHOOK_RAW_BODY] = read.body;
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
