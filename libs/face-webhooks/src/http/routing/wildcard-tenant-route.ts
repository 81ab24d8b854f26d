/** `FASTIFY_ROUTE_CONFIG_METADATA` of `@nestjs/platform-fastify` (`@RouteConfig()`), not a dependency here. */
export const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/** The key, in the Fastify route config of the module's tenant route, that marks it. */
export const WILDCARD_TENANT_ROUTE = 'nestjs-face-webhooks:wildcard-tenant';

interface FastifyRouteOptions {
  url: string;
  path?: string;
  readonly config?: Readonly<Record<string, unknown>>;
}
interface FastifyInstance {
  addHook(name: 'onRoute', hook: (routeOptions: FastifyRouteOptions) => void): unknown;
}

/**
 * Fastify refuses a route parameter longer than its `maxParamLength` (100 unless the app set it
 * when it created the adapter) with 414, and tenant ids go up to 128 characters. So on Fastify the
 * module's tenant route, `<basePath>/:provider/:tenant`, is served as `<basePath>/:provider/*`,
 * whose wildcard has no such limit: the tenant is `params['*']`, and the raw-body reader answers
 * 404 for anything under the route that is not one valid tenant id (a path the route without the
 * wildcard would not have matched). Must be added before Nest registers its routes.
 */
export function serveTenantAsWildcard(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (routeOptions) => {
    if (routeOptions.config?.[WILDCARD_TENANT_ROUTE] !== true || !routeOptions.url.endsWith('/:tenant'))
      return;
    routeOptions.url = `${routeOptions.url.slice(0, -':tenant'.length)}*`;
    routeOptions.path = routeOptions.url;
  });
}
