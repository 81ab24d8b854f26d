import type { IncomingMessage } from 'node:http';
import type { WebhookRequest } from '../../contracts/face-webhook-provider.interface.js';

/** Where the module's middleware leaves the exact body bytes of a webhook request. */
export const FACE_WEBHOOK_RAW_BODY: unique symbol = Symbol.for('nestjs-face-webhooks.raw-body');

/** What the raw-body readers do with a request: read its body for a provider, answer 404, or leave it. */
export type BodyRouteMatch = { readonly provider: string } | 'near-miss' | 'other';

/**
 * Decides that for each request, before Nest handles it. `routeUrl`: the route Fastify chose for
 * the request (it routes before reading bodies); Express has not routed it yet.
 */
export type BodyRoutes = (
  method: string | undefined,
  url: string | undefined,
  routeUrl?: string,
) => BodyRouteMatch;

type RequestLike = Partial<IncomingMessage> & {
  [FACE_WEBHOOK_RAW_BODY]?: Buffer;
  rawBody?: unknown;
  body?: unknown;
  originalUrl?: string;
  raw?: IncomingMessage;
};

/**
 * The exact body bytes of a request: those the module captured on its own routes, or, on a user's
 * route, those Nest kept with `rawBody: true`, or a body another raw parser left as a Buffer.
 * `undefined` when the bytes are gone (the body was parsed as JSON and not kept).
 */
export function findRawBody(request: object): Buffer | undefined {
  const req = request as RequestLike;
  const captured = req[FACE_WEBHOOK_RAW_BODY] ?? req.raw?.[FACE_WEBHOOK_RAW_BODY as never];
  if (Buffer.isBuffer(captured)) return captured;
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (Buffer.isBuffer(req.body)) return req.body;
  return undefined;
}

/** Builds the framework-neutral view of an Express or Fastify request. */
export function toWebhookRequest(request: object, rawBody: Buffer): WebhookRequest {
  const req = request as RequestLike;
  return {
    method: req.method ?? req.raw?.method ?? '',
    url: req.originalUrl ?? req.raw?.url ?? req.url ?? '',
    headers: req.headers ?? req.raw?.headers ?? {},
    secure: ((req.socket ?? req.raw?.socket) as { encrypted?: boolean } | undefined)?.encrypted === true,
    remoteAddress: (req.socket ?? req.raw?.socket)?.remoteAddress,
    rawBody,
  };
}

/**
 * Why a webhook body is refused before it is read, if it is: a compressed body (415), since the
 * signature covers the bytes as sent and the module does not inflate them. Both adapters use it.
 */
export function unsupportedEncoding(headers: IncomingMessage['headers']): string | undefined {
  const encoding = headers['content-encoding'];
  if (typeof encoding !== 'string' || encoding.trim().toLowerCase() === 'identity') return undefined;
  return `Content-Encoding "${encoding.slice(0, 32)}" is not supported`;
}

/** The 408 message, when a body was not received within `bodyTimeoutMs`. */
export const bodyTimeoutMessage = (timeoutMs: number): string =>
  `Request body was not received within ${timeoutMs} ms`;

export { notFoundMessage } from '../../contracts/face-webhook-refused.exception.js';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/** The JSON body of an error answered before Nest has a handler: the shape Nest's own errors have. */
export function earlyErrorBody(statusCode: number, message: string): string {
  return JSON.stringify({ statusCode, message, error: REASONS[statusCode] });
}
