import { HttpException } from '@nestjs/common';
import { buildFaceEvent } from '../pipeline/face-event.factory.js';
import { parseJsonObject } from '../pipeline/body/json-body.js';
import { toInstance } from '../pipeline/body/fast-hydration.js';
import { createFaceWebhookProvider } from '../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookRequest,
} from '../contracts/face-webhook-provider.interface.js';
import type { CatalogProvider } from '../testing/face-event-catalog.js';
import type { CapturedRequest } from './captured-request.js';

export interface VerifyInput {
  readonly provider: CatalogProvider;
  readonly secret: string;
  readonly request: CapturedRequest;
  /** The public URL the request was posted to (IDaaS signs it). Default `https://<Host><target>`. */
  readonly url?: string;
  /** Check the time window as of this Unix time (seconds), for old captures. Default now. */
  readonly atSeconds?: number;
}

/**
 * Checks a captured request with the provider the module would build for this secret, and says
 * every reason it would be refused, not only the first the module stops at: authentication
 * (digest, time window, secret, URL), then the body (JSON and DTO validation) and the checks that
 * need it (an event's own age), with the options the provider's `testing.verifyOptions` gives
 * (IDaaS accepts its legacy header here).
 */
export function verifyCapturedRequest(input: VerifyInput): string[] {
  const { request } = input;
  const url = new URL(input.url ?? `https://${request.headers.host ?? 'localhost'}${request.target}`);
  const { testing } = input.provider;
  const options = testing.verifyOptions?.(input.secret) ?? testing.options(input.secret);
  const provider = createFaceWebhookProvider(input.provider, options);
  const headersOnly = testing.authenticateHeaders;
  const check: Authenticate = (webhookRequest) => provider.authenticate(webhookRequest);
  const checkHeaders: Authenticate | undefined =
    headersOnly && ((webhookRequest) => headersOnly(webhookRequest, options));

  const found = authenticationProblems(request, url, check, checkHeaders, input.atSeconds);
  return [
    ...found.reasons.map((reason) => `authentication: ${reason}`),
    ...bodyProblems(provider, request.body, found.authenticated, input.atSeconds),
  ];
}

type Authenticate = (request: WebhookRequest) => WebhookAuthResult;

/**
 * Every authentication failure of the request. A provider stops at its first failed check, so each
 * one that hides another is taken out in turn: a body that fails the digest has the signature
 * checked over the headers as sent (`testing.authenticateHeaders`), a time outside the window has
 * the signature checked as of the time the request says it was signed, and a signature that does
 * not match is tried against the other URLs the request may have been posted to.
 */
function authenticationProblems(
  captured: CapturedRequest,
  url: URL,
  authenticate: Authenticate,
  authenticateHeaders: Authenticate | undefined,
  atSeconds: number | undefined,
): { reasons: string[]; authenticated: WebhookAuthSuccess } {
  const request = webhookRequest(captured, url);
  const reasons: string[] = [];
  let check = authenticate;
  let at = atSeconds;
  let result = atTime(at, () => check(request));
  if (!result.ok) reasons.push(result.reason);
  if (!result.ok && result.code === 'digest_mismatch' && authenticateHeaders) {
    check = authenticateHeaders;
    result = atTime(at, () => check(request));
    if (!result.ok) reasons.push(result.reason);
  }
  if (!result.ok && result.code === 'timestamp_outside_window') {
    for (const seconds of claimedTimes(captured.headers)) {
      const then = atTime(seconds, () => check(request));
      if (!then.ok && then.code === 'timestamp_outside_window') continue;
      [result, at] = [then, seconds];
      if (!then.ok) reasons.push(`as of the time it was signed: ${then.reason}`);
      break;
    }
  }
  if (!result.ok && result.code === 'signature_mismatch') {
    const signed = otherUrls(captured, url).find(
      (other) => atTime(at, () => check(webhookRequest(captured, other))).ok,
    );
    if (signed) reasons.push(`the sender signed the URL ${signed.href}, not ${url.href}: give it as --url`);
  }
  if (result.ok) return { reasons, authenticated: result };
  // The checks that need the body are given what a success would carry: a signed time, if the
  // request has one the provider checks (then IDaaS does not bound the event's own age).
  const hasSignedTime = atTime(0, () => check(request));
  const signedTime = !hasSignedTime.ok && hasSignedTime.code === 'timestamp_outside_window';
  return { reasons, authenticated: signedTime ? { ok: true, freshUntilMs: Infinity } : { ok: true } };
}

/** The body's problems: JSON and DTO validation, then the checks that need it (an event's own age). */
function bodyProblems(
  provider: FaceWebhookProvider,
  rawBody: Buffer,
  authenticated: WebhookAuthSuccess,
  atSeconds: number | undefined,
): string[] {
  const problems: string[] = [];
  let data: object | undefined;
  try {
    data = buildFaceEvent(provider, rawBody, new Date()).data as object;
  } catch (error) {
    const response =
      error instanceof HttpException ? (error.getResponse() as { message?: unknown }) : undefined;
    const messages = response?.message ?? (error as Error).message;
    problems.push(
      ...(Array.isArray(messages) ? messages : [messages]).map((message) => `body: ${String(message)}`),
    );
    // The event's own time may still be readable when another field is invalid.
    data = unvalidated(provider, rawBody);
  }
  if (data && provider.authorize) {
    try {
      const authorized = atTime(atSeconds, () => provider.authorize!(data, authenticated));
      if (!authorized.ok) problems.push(`authentication: ${authorized.reason}`);
    } catch {
      // A field it reads is invalid: the body's problems above say which.
    }
  }
  return problems;
}

/** The body as an instance of its DTO, not validated; `undefined` when it is not a JSON object. */
function unvalidated(provider: FaceWebhookProvider, rawBody: Buffer): object | undefined {
  try {
    const body = parseJsonObject(rawBody);
    return toInstance(provider.selectDto?.(body) ?? provider.dto, body);
  } catch {
    return undefined;
  }
}

function webhookRequest(captured: CapturedRequest, url: URL): WebhookRequest {
  return {
    method: captured.method,
    url: url.pathname + url.search,
    headers: { ...captured.headers, host: url.host },
    secure: url.protocol === 'https:',
    rawBody: captured.body,
  };
}

/**
 * The Unix times (seconds) a request's headers carry: whole numbers of 10 digits (seconds) or 13
 * (milliseconds) standing alone, as in `t=1767225600,v1=...`, `created=1767225600` or
 * `webhook-timestamp: 1767225600`. One that is no time fails the window again and is passed over.
 */
function claimedTimes(headers: Record<string, string>): number[] {
  const times = new Set<number>();
  for (const value of Object.values(headers)) {
    for (const [digits] of value.matchAll(/(?<![0-9A-Za-z+/])(?:\d{13}|\d{10})(?![0-9A-Za-z+/])/g)) {
      times.add(digits.length === 13 ? Math.floor(Number(digits) / 1000) : Number(digits));
    }
  }
  return [...times];
}

/** The URLs other than `url` the request may have been posted to: http and https, Host and X-Forwarded-Host. */
function otherUrls(captured: CapturedRequest, url: URL): URL[] {
  const forwarded = captured.headers['x-forwarded-host']?.split(',')[0]?.trim();
  const urls: URL[] = [];
  for (const host of new Set([url.host, captured.headers.host, forwarded])) {
    for (const scheme of ['https', 'http']) {
      if (!host) continue;
      let other: URL;
      try {
        other = new URL(`${scheme}://${host}${captured.target}`);
      } catch {
        continue; // not a host and path a URL can be made of
      }
      if (other.href !== url.href && !urls.some((known) => known.href === other.href)) urls.push(other);
    }
  }
  return urls;
}

/** Runs `check` (synchronous) with the clock at `seconds`, so an old capture is judged as of then. */
function atTime<T>(seconds: number | undefined, check: () => T): T {
  if (seconds === undefined) return check();
  const realNow = Date.now;
  Date.now = () => seconds * 1000;
  try {
    return check();
  } finally {
    Date.now = realNow;
  }
}
