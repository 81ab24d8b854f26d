import type { WebhookRequest } from '../../contracts/face-webhook-provider.interface.js';

/** How the URL IDaaS posted to is rebuilt from what the app received. */
export interface TargetUriSource {
  readonly publicBaseUrl?: string;
  readonly trustForwardedHeaders?: boolean;
}

/**
 * A request's target URI, kept as text exactly as the sender wrote it (RFC 9421 §2.2.2 signs the
 * URI the sender used; `new URL()` would lower-case the host and percent-encode characters such
 * as `'` in the query, so a genuine signature would not verify), with the parts the derived
 * components need.
 */
export interface TargetUri {
  /** `@target-uri`: the whole URI, unchanged. */
  readonly uri: string;
  /** `@scheme`, lower case. */
  readonly scheme: string;
  /** `@authority`: host and port, lower case (RFC 9421 §2.2.3 normalises it). */
  readonly authority: string;
  /** `@path`: as sent; `/` when empty. */
  readonly path: string;
  /** `@query`: `?` and the query as sent; `?` when there is none. */
  readonly query: string;
  /** Path and query as sent (the origin form of the request line). */
  readonly originForm: string;
}

const ABSOLUTE_URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?$/;
/** Characters an authority may hold (RFC 3986); anything else, and the URI is not rebuilt. */
const AUTHORITY = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@[\]]+$/;

/** Splits an absolute URI into the parts of {@link TargetUri}; `undefined` when it is not one. */
export function parseTargetUri(uri: string): TargetUri | undefined {
  const match = ABSOLUTE_URI.exec(uri);
  if (!match || !AUTHORITY.test(match[2]!)) return undefined;
  return {
    uri,
    scheme: match[1]!.toLowerCase(),
    authority: match[2]!.toLowerCase(),
    path: match[3] || '/',
    query: match[4] || '?',
    originForm: `${match[3] || '/'}${match[4] ?? ''}`,
  };
}

const firstOf = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/**
 * The RFC 9421 `@target-uri` of a request, from the request as received (RFC 9110 §7.1): an
 * absolute-form request line is the URI itself; otherwise the configured public base URL, or the
 * forwarded scheme and host when trusted, or the connection's scheme and the Host header, followed
 * by the path and query exactly as received. `undefined` when no usable authority is known.
 */
export function rebuildTargetUri(request: WebhookRequest, source: TargetUriSource): TargetUri | undefined {
  const absolute = ABSOLUTE_URI.exec(request.url);
  const pathAndQuery = absolute ? `${absolute[3] || '/'}${absolute[4] ?? ''}` : request.url;
  if (source.publicBaseUrl) return parseTargetUri(source.publicBaseUrl.replace(/\/+$/, '') + pathAndQuery);
  const forwarded = source.trustForwardedHeaders;
  if (absolute && !forwarded) return parseTargetUri(request.url);
  const scheme =
    (forwarded && firstOf(request.headers['x-forwarded-proto'])) ||
    absolute?.[1] ||
    (request.secure ? 'https' : 'http');
  const host =
    (forwarded && firstOf(request.headers['x-forwarded-host'])) ||
    absolute?.[2] ||
    firstOf(request.headers.host);
  if (!host) return undefined;
  return parseTargetUri(`${scheme}://${host}${pathAndQuery}`);
}
