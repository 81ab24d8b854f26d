import { Inject, Injectable, Optional } from '@nestjs/common';
import { PassThrough, Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { FACE_WEBHOOKS_MODULE_OPTIONS } from '../../contracts/face-webhooks.tokens.js';
import { FaceSignMediaError } from './facesign-media.errors.js';
import type { FaceSignMediaDto } from './facesign-event.dto.js';

/** Limits for a media download. */
export interface FaceSignMediaDownloadOptions {
  /** Abort after this many ms in all. Default 30 000. */
  readonly timeoutMs?: number;
  /** Refuse files larger than this many bytes. Default 100 MiB (videos). */
  readonly maxBytes?: number;
  /** Content types accepted, exact (`image/jpeg`) or by family (`image/*`). Default images and videos. */
  readonly allowedContentTypes?: readonly string[];
  /** URL schemes accepted. Default `['https:']`; `http:` only for local testing. */
  readonly allowedProtocols?: readonly string[];
}

/** What was stored. */
export interface FaceSignMediaDownload {
  /** How many bytes were written to the sink. */
  readonly bytes: number;
  /** The content type the media host answered with (it matched the one the event announced). */
  readonly contentType: string;
}

/** Where the file goes: a writable stream, or a function that consumes the body stream (say, an upload). */
export type FaceSignMediaSink = Writable | ((body: Readable, media: FaceSignMediaDto) => Promise<unknown>);

const DEFAULTS: Required<FaceSignMediaDownloadOptions> = {
  timeoutMs: 30_000,
  maxBytes: 100 * 1024 * 1024,
  allowedContentTypes: ['image/*', 'video/*'],
  allowedProtocols: ['https:'],
};

/**
 * Downloads the file of a FaceSign media event (`media.user_photo`, `media.document_photo`,
 * `media.user_video`) into a sink of yours. Its URL expires 15 minutes after it was made, so call it
 * from the handler. It refuses an expired URL before connecting, and stops at the timeout, at
 * `maxBytes`, and on a content type other than the one the event announced.
 */
@Injectable()
export class FaceSignMediaService {
  private readonly defaults: Required<FaceSignMediaDownloadOptions>;

  /** `options`: the module's; the defaults are its `facesign.media`. */
  constructor(
    @Optional()
    @Inject(FACE_WEBHOOKS_MODULE_OPTIONS)
    options?: {
      readonly facesign?: { readonly media?: FaceSignMediaDownloadOptions };
    },
  ) {
    this.defaults = { ...DEFAULTS, ...options?.facesign?.media };
  }

  /**
   * Streams the file into `sink` and resolves once it is all written.
   *
   * @param media - The event's `media` object.
   * @param sink - A writable stream, or a function that consumes the body stream (say, an upload).
   * @param options - Limits for this download; they override the module's `facesign.media`.
   * @throws {@link FaceSignMediaError} when the download does not happen or does not finish; its
   * `retryable` says whether a later attempt may succeed.
   *
   * @example
   * ```ts
   * import { Injectable } from '@nestjs/common';
   * import { createWriteStream } from 'node:fs';
   * import { FaceSignMediaService, OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';
   *
   * @Injectable()
   * export class SelfieStore {
   *   constructor(private readonly media: FaceSignMediaService) {}
   *
   *   @OnFaceEvent('facesign.media.user_photo')
   *   async onPhoto(event: FaceEventOf<'facesign.media.user_photo'>): Promise<void> {
   *     const file = createWriteStream(`/var/faces/${event.data.sessionId}.jpg`);
   *     const { bytes } = await this.media.download(event.data.media, file);
   *     console.log(`stored ${bytes} bytes`);
   *   }
   * }
   * ```
   */
  async download(
    media: FaceSignMediaDto,
    sink: FaceSignMediaSink,
    options: FaceSignMediaDownloadOptions = {},
  ): Promise<FaceSignMediaDownload> {
    const limits = { ...this.defaults, ...options };
    if (Date.now() >= media.expires) {
      throw new FaceSignMediaError(
        `Media ${media.id} expired at ${new Date(media.expires).toISOString()}; it can no longer be downloaded`,
        'expired',
      );
    }
    checkProtocol(media, new URL(media.url), limits.allowedProtocols);
    if (!typeAllowed(media.contentType, limits.allowedContentTypes)) {
      throw new FaceSignMediaError(
        `Media ${media.id}: content type ${media.contentType} is not allowed`,
        'content-type',
      );
    }

    const signal = AbortSignal.timeout(
      Math.max(1, Math.min(limits.timeoutMs, media.expires - Date.now() + 1000)),
    );
    try {
      const response = await fetchFollowingChecked(media, limits.allowedProtocols, signal);
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new FaceSignMediaError(`Media ${media.id}: the server answered ${response.status}`, 'http', {
          status: response.status,
        });
      }
      const received = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (received !== media.contentType.toLowerCase()) {
        await response.body.cancel();
        throw new FaceSignMediaError(
          `Media ${media.id}: expected ${media.contentType}, the server sent ${received || 'no content type'}`,
          'content-type',
        );
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > limits.maxBytes) {
        await response.body.cancel();
        throw new FaceSignMediaError(
          `Media ${media.id}: ${declared} bytes is over the ${limits.maxBytes}-byte limit`,
          'too-large',
        );
      }
      let bytes = 0;
      const cap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          if (bytes > limits.maxBytes) {
            callback(
              new FaceSignMediaError(
                `Media ${media.id}: over the ${limits.maxBytes}-byte limit`,
                'too-large',
              ),
            );
          } else {
            callback(null, chunk);
          }
        },
      });
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      if (typeof sink === 'function') {
        // The function reads a stream that fails if the cap or the connection does.
        const stream = new PassThrough();
        await Promise.all([pipeline(body, cap, stream), sink(stream, media)]);
      } else {
        await pipeline(body, cap, sink);
      }
      return { bytes, contentType: received };
    } catch (error) {
      if (error instanceof FaceSignMediaError) throw error;
      if (signal.aborted)
        throw new FaceSignMediaError(`Media ${media.id}: timed out`, 'timeout', { cause: error });
      const wrapped = findMediaError(error);
      if (wrapped) throw wrapped;
      throw new FaceSignMediaError(`Media ${media.id}: download failed`, 'network', { cause: error });
    }
  }
}

/** Redirects followed, each checked against the protocol policy like the first URL. */
const MAX_REDIRECTS = 5;

function checkProtocol(media: FaceSignMediaDto, url: URL, allowed: readonly string[]): void {
  if (!allowed.includes(url.protocol)) {
    throw new FaceSignMediaError(`Media ${media.id}: ${url.protocol} URLs are not allowed`, 'refused');
  }
}

/**
 * `fetch` with redirects followed by hand, so that every hop passes the protocol policy: with
 * `redirect: 'follow'`, an https URL could redirect to http (or to any scheme fetch supports) and
 * only the first URL would have been checked.
 */
async function fetchFollowingChecked(
  media: FaceSignMediaDto,
  allowedProtocols: readonly string[],
  signal: AbortSignal,
): Promise<Response> {
  let url = new URL(media.url);
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, { signal, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || location === null) return response;
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) {
      throw new FaceSignMediaError(`Media ${media.id}: more than ${MAX_REDIRECTS} redirects`, 'refused');
    }
    try {
      url = new URL(location, url);
    } catch {
      throw new FaceSignMediaError(`Media ${media.id}: a redirect to an invalid URL`, 'refused');
    }
    checkProtocol(media, url, allowedProtocols);
  }
}

function typeAllowed(contentType: string, allowed: readonly string[]): boolean {
  const type = contentType.toLowerCase();
  return allowed.some((pattern) =>
    pattern.endsWith('/*')
      ? type.startsWith(pattern.slice(0, -1).toLowerCase())
      : type === pattern.toLowerCase(),
  );
}

function findMediaError(error: unknown): FaceSignMediaError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof FaceSignMediaError) return current;
  }
  return undefined;
}
