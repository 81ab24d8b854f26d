/**
 * Recognises the module's webhook routes from a raw request URL, before Nest routes it.
 *
 * It matches on the end of the path (`/<basePath>/<provider>`) because the app's global prefix is
 * set after the module is built; like Express's default routing it ignores case and a trailing
 * slash. A path it matches that is not really a webhook route still ends in a 404.
 */
export class WebhookRouteMatcher {
  private readonly suffixes: readonly string[];

  constructor(basePath: string, providerNames: readonly string[]) {
    const base = basePath ? `/${basePath.toLowerCase()}` : '';
    this.suffixes = providerNames.map((name) => `${base}/${name.toLowerCase()}`);
  }

  matches(method: string | undefined, url: string | undefined): boolean {
    if (method !== 'POST' || !url || this.suffixes.length === 0) return false;
    const query = url.indexOf('?');
    let path = (query === -1 ? url : url.slice(0, query)).toLowerCase();
    while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return this.suffixes.some((suffix) => path.endsWith(suffix));
  }
}
