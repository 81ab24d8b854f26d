/** How a request's method and URL relate to the module's webhook routes. */
export type WebhookRouteMatch =
  /** `POST` to exactly a mounted route: its body is read as raw bytes. */
  | 'route'
  /**
   * `POST` to a spelling of a mounted route that is not the route: other case, trailing slash,
   * doubled slashes or percent-encoding. Express would route it to the webhook handler and Fastify
   * would not; both answer 404 so the two behave the same and a provider misconfigured with such a
   * URL fails at once, visibly, instead of on one adapter only.
   */
  | 'near-miss'
  /** Anything else: the app's own routes, left untouched. */
  | 'other';

/**
 * Recognises the module's webhook routes from a raw request URL, before Nest routes it: exactly
 * `<global prefix>/<basePath>/<provider>`, and nothing else (an app route that merely ends the same
 * way, such as `/legacy/webhooks/faceio`, is the app's). The global prefix is set on the app after
 * the module is built, so it is given later with {@link mount}.
 */
export class WebhookRouteMatcher {
  /** Mounted path -> provider name. */
  private routes: ReadonlyMap<string, string> = new Map();
  private folded: ReadonlySet<string> = new Set();

  constructor(
    private readonly basePath: string,
    private readonly providerNames: readonly string[],
  ) {
    this.mount('');
  }

  /** Sets the prefix the routes are served under (the app's global prefix, or `''`). */
  mount(prefix: string): void {
    const segments = [prefix, this.basePath].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean);
    const base = segments.length > 0 ? `/${segments.join('/')}` : '';
    this.routes = new Map(this.providerNames.map((name) => [`${base}/${name}`, name]));
    this.folded = new Set([...this.routes.keys()].map(fold));
  }

  /** The mounted route paths, for the startup log. */
  get paths(): readonly string[] {
    return [...this.routes.keys()];
  }

  match(method: string | undefined, url: string | undefined): WebhookRouteMatch {
    if (method !== 'POST' || !url || this.routes.size === 0) return 'other';
    const path = pathOf(url);
    if (this.routes.has(path)) return 'route';
    return this.folded.has(fold(path)) ? 'near-miss' : 'other';
  }

  /** The provider whose route `url` is exactly, if any. */
  providerOf(url: string): string | undefined {
    return this.routes.get(pathOf(url));
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // An absolute-form request line (`POST http://host/webhooks/idaas`) names the path after the authority.
  return path.charCodeAt(0) === 0x2f ? path : (ABSOLUTE_FORM.exec(path)?.[1] ?? path);
}

/** The path of an absolute-form request target (`http://host:port/path`); `/` when it has none. */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*(\/.*)?$/;

/** A path reduced the way lenient routers read it: decoded, lower case, single slashes, no trailing slash. */
function fold(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes: compare the path as sent.
  }
  return decoded
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/+$/, '$1');
}
