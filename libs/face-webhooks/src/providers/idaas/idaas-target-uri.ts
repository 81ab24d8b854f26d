import type { WebhookRequest } from '../../core/webhook-provider.interface.js';

/** How the URL IDaaS posted to is rebuilt from what the app received. */
export interface TargetUriSource {
  readonly publicBaseUrl?: string;
  readonly trustForwardedHeaders?: boolean;
}

const firstOf = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/**
 * The RFC 9421 `@target-uri` of a request: the configured public base URL, or the forwarded scheme
 * and host when trusted, or the request's own; followed by the path and query the app received.
 * Returns `undefined` when no host is known.
 */
export function rebuildTargetUri(request: WebhookRequest, source: TargetUriSource): URL | undefined {
  try {
    if (source.publicBaseUrl) return new URL(source.publicBaseUrl.replace(/\/+$/, '') + request.url);
    const forwarded = source.trustForwardedHeaders;
    const scheme =
      (forwarded && firstOf(request.headers['x-forwarded-proto'])) || (request.secure ? 'https' : 'http');
    const host = (forwarded && firstOf(request.headers['x-forwarded-host'])) || firstOf(request.headers.host);
    if (!host) return undefined;
    return new URL(`${scheme}://${host}${request.url}`);
  } catch {
    return undefined;
  }
}
