import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  type BodyRoutes,
  earlyErrorBody,
  FACE_WEBHOOK_RAW_BODY,
  notFoundMessage,
  unsupportedEncoding,
} from './raw-body.js';
import { readWebhookBody, type RefusalListener, type WebhookBodyLimits } from './read-webhook-body.js';

/** A content type only the module's own routes are switched to, so only our parser reads them. */
const RAW_CONTENT_TYPE = 'application/x-nestjs-face-webhooks-raw';
const ORIGINAL_CONTENT_TYPE = Symbol('nestjs-face-webhooks.content-type');
const PROVIDER = Symbol('nestjs-face-webhooks.provider');

type RawRequest = IncomingMessage & {
  [FACE_WEBHOOK_RAW_BODY]?: Buffer;
  [ORIGINAL_CONTENT_TYPE]?: string;
  [PROVIDER]?: string;
};
interface FastifyRequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: RawRequest;
  /** The route Fastify chose (its `url` is undefined for a path no route serves). */
  routeOptions?: { url?: string };
}
type Done = (error: Error | null, value?: unknown) => void;
interface FastifyLike {
  addHook(
    name: 'preParsing',
    hook: (request: FastifyRequestLike, reply: unknown, payload: unknown, done: Done) => void,
  ): void;
  addContentTypeParser(
    type: string,
    parser: (request: FastifyRequestLike, payload: Readable, done: Done) => void,
  ): void;
}

/**
 * The sender left mid-body. Nest's exception handler logs an error with a stack for anything that
 * is not an HttpException; this one is an ordinary event (logged at debug level by the reader), and
 * its answer goes nowhere.
 */
class DeliveryAbortedException extends HttpException {
  constructor() {
    super('Request aborted', 400);
  }
}

/**
 * Fastify: the module's routes get their exact bytes, within `limits`, and Fastify does not parse
 * them (we parse once, after authenticating). A `preParsing` hook switches those requests to a
 * content type whose parser reads the bytes with the same reader as Express (so the errors and
 * their bodies are the same on both adapters), and puts the original header back.
 */
export function installFastifyRawBody(
  fastify: FastifyLike,
  routes: BodyRoutes,
  limits: WebhookBodyLimits,
  onRefused: RefusalListener,
): void {
  fastify.addContentTypeParser(RAW_CONTENT_TYPE, (request, payload, done) => {
    const length = request.headers['content-length'];
    const contentLength = typeof length === 'string' ? length : undefined;
    readWebhookBody(payload, request.url, contentLength, limits, (read) => {
      if ('aborted' in read) return done(new DeliveryAbortedException());
      if ('status' in read) {
        onRefused(request.raw[PROVIDER] ?? '', read.status);
        if (read.status === 408) return cutOff(request.raw, payload, read.message, done);
        return done(
          read.status === 413
            ? new PayloadTooLargeException(read.message)
            : new BadRequestException(read.message),
        );
      }
      request.raw[FACE_WEBHOOK_RAW_BODY] = read.body;
      request.headers['content-type'] = request.raw[ORIGINAL_CONTENT_TYPE];
      done(null, read.body);
    });
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const match = routes(request.method, request.url, request.routeOptions?.url);
    if (match === 'other') return done(null, payload);
    if (match === 'near-miss')
      return done(new NotFoundException(notFoundMessage(request.method, request.url)));
    request.raw[PROVIDER] = match.provider;
    const refused = unsupportedEncoding(request.headers);
    if (refused) {
      onRefused(match.provider, 415);
      return done(new UnsupportedMediaTypeException(refused));
    }
    // A body-less request never reaches the parser: its raw body is empty, not missing.
    request.raw[FACE_WEBHOOK_RAW_BODY] = Buffer.alloc(0);
    request.raw[ORIGINAL_CONTENT_TYPE] = request.headers['content-type'] as string | undefined;
    request.headers['content-type'] = RAW_CONTENT_TYPE;
    done(null, payload);
  });
}

/**
 * A body not received in time: the connection is answered 408 and closed right there (Fastify is
 * still reading, so no reply can be sent through it), and the request ends as an aborted one.
 */
function cutOff(raw: RawRequest, payload: Readable, message: string, done: Done): void {
  const body = earlyErrorBody(408, message);
  raw.socket.end(
    `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  payload.destroy();
  done(new DeliveryAbortedException());
}
