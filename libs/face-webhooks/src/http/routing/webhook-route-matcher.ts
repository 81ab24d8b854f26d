import { TENANT_PATTERN } from '../../contracts/face-webhook-tenants.options.js';

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
 * `<global prefix>/<basePath>/<provider>`, and `<...>/<provider>/<tenant>` for providers with
 * tenants (a tenant id as {@link TENANT_PATTERN} allows), and nothing else (an app route that
 * merely ends the same way, such as `/legacy/webhooks/faceio`, is the app's). The global prefix is
 * set on the app after the module is built, so it is given later with {@link mount}.
 */
export class WebhookRouteMatcher {
  /** Mounted path -> provider name. */
  private routes: ReadonlyMap<string, string> = new Map();
  /** `<mounted path>/` of providers with tenants -> provider name. */
  private tenantBases: ReadonlyMap<string, string> = new Map();
  private folded: ReadonlySet<string> = new Set();
  private foldedTenantBases: readonly string[] = [];

  constructor(
    private readonly basePath: string,
    private readonly providerNames: readonly string[],
    private readonly tenantProviderNames: readonly string[] = [],
  ) {
    this.mount('');
  }

  /** Sets the prefix the routes are served under (the app's global prefix, or `''`). */
  mount(prefix: string): void {
    const segments = [prefix, this.basePath].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean);
    const base = segments.length > 0 ? `/${segments.join('/')}` : '';
    this.routes = new Map(this.providerNames.map((name) => [`${base}/${name}`, name]));
    this.tenantBases = new Map(this.tenantProviderNames.map((name) => [`${base}/${name}/`, name]));
    this.folded = new Set([...this.routes.keys()].map(fold));
    this.foldedTenantBases = [...this.tenantBases.keys()].map((path) => fold(path) + '/');
  }

  /** The mounted route paths, for the startup log. */
  get paths(): readonly string[] {
    return [...this.routes.keys(), ...[...this.tenantBases.keys()].map((path) => `${path}:tenant`)];
  }

  match(method: string | undefined, url: string | undefined): WebhookRouteMatch {
    if (method !== 'POST' || !url || (this.routes.size === 0 && this.tenantBases.size === 0)) return 'other';
    const path = pathOf(url);
    if (this.routes.has(path) || this.tenantRoute(path)) return 'route';
    const folded = fold(path);
    if (this.folded.has(folded)) return 'near-miss';
    // Under a tenant route, anything that is not exactly one valid tenant id is a near miss.
    return this.foldedTenantBases.some((base) => (folded + '/').startsWith(base)) ? 'near-miss' : 'other';
  }

  /** The provider (and tenant) whose route `url` is exactly, if any. */
  providerOf(url: string): string | undefined {
    const path = pathOf(url);
    return this.routes.get(path) ?? this.tenantRoute(path)?.provider;
  }

  private tenantRoute(path: string): { provider: string; tenant: string } | undefined {
    if (this.tenantBases.size === 0) return undefined;
    const slash = path.lastIndexOf('/');
    const provider = this.tenantBases.get(path.slice(0, slash + 1));
    const tenant = path.slice(slash + 1);
    return provider !== undefined && TENANT_PATTERN.test(tenant) ? { provider, tenant } : undefined;
  }
}

/**
 * The path a request target names, read the way Express's router reads it (the `parseurl`
 * package): up to the query, and, when the target has a fragment or whitespace or is not
 * origin-form, as Node's `url.parse` reads it: trimmed, cut at `?` or `#`, backslashes before them
 * read as slashes, the path after the authority of an absolute-form target. Express routes
 * `/route#x` and `/route\u00a0` to `/route`, so this must see that path too.
 */
export function pathOf(url: string): string {
  if (url.charCodeAt(0) === 0x2f && !FULL_PARSE.test(url)) {
    const query = url.indexOf('?');
    return query === -1 ? url : url.slice(0, query);
  }
  const target = url.trim();
  const end = target.search(/[?#]/);
  const path = (end === -1 ? target : target.slice(0, end)).replace(/\\/g, '/');
  // An absolute-form request line (`POST http://host/webhooks/idaas`) names the path after the authority.
  return path.charCodeAt(0) === 0x2f ? path : (ABSOLUTE_FORM.exec(path)?.[1] ?? path);
}

/** Characters that make `parseurl` leave its fast path for `url.parse`. */
const FULL_PARSE = /[\t\n\f\r #\u00a0\ufeff]/;

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
