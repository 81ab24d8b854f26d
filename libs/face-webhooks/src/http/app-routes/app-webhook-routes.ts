import {
  type HttpServer,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
  RequestMethod,
} from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { type AbstractHttpAdapter, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { pathToRegexp } from 'path-to-regexp';
import { FaceWebhookProviderRegistry } from '../../pipeline/face-webhook-provider.registry.js';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../../contracts/face-webhooks.tokens.js';
import { FaceWebhooksConfigError } from '../../contracts/face-webhooks-config.error.js';
import { pathOf } from '../routing/webhook-route-matcher.js';
import {
  FACE_WEBHOOK_APP_ROUTE_METADATA,
  type FaceWebhookAppRoute,
  faceWebhookAppRouteOf,
} from './face-webhook-app-route.js';
import { FACE_WEBHOOK_EVENT_PARAM_METADATA } from './face-webhook-event.pipe.js';

/** The longest tenant id `TENANT_PATTERN` allows. */
const MAX_TENANT_LENGTH = 128;

const BODY_REQUEST_METHODS: ReadonlySet<RequestMethod> = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
]);

/** `FASTIFY_ROUTE_CONFIG_METADATA` of `@nestjs/platform-fastify` (`@RouteConfig()`), not a dependency here. */
const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';
/** The key of a route's declaration in its Fastify route config. */
const ROUTE_CONFIG_KEY = FACE_WEBHOOK_APP_ROUTE_METADATA;

interface RegisteredRoute {
  readonly method: string;
  /** The path as the adapter serves it: global prefix, version and module path included. */
  readonly path: string;
  readonly route: FaceWebhookAppRoute;
  /** Express: the router layer's own matcher (its case and trailing-slash options included). */
  readonly layerMatch?: (path: string) => unknown;
}

interface DeclaredRoute {
  /** `Class.method`. */
  readonly name: string;
  /** The controller method: the `targetCallback` Nest registers the route for. */
  readonly handler: object;
  readonly route?: FaceWebhookAppRoute;
  readonly requestMethod?: RequestMethod;
}

/** What Fastify gives an `onRoute` hook, as far as it is read here. */
interface FastifyRouteOptions {
  readonly method: string | readonly string[];
  readonly url: string;
  readonly config?: Readonly<Record<string, unknown>>;
}
interface FastifyInstance {
  addHook(name: 'onRoute', hook: (routeOptions: FastifyRouteOptions) => void): unknown;
}

/** An Express 5 app: its router (the `router` package) holds a layer per route. */
interface ExpressApp {
  readonly router?: {
    readonly stack: readonly {
      /** The path a request is routed by -> its params, or `false`; throws on a malformed escape. */
      readonly match?: (path: string) => unknown;
      readonly route?: {
        readonly path: string | readonly string[];
        /** One layer per handler; `method` is lowercase, `undefined` for `all()`. */
        readonly stack: readonly { readonly method?: string; readonly handle: unknown }[];
      };
    }[];
  };
}

/**
 * The app's `@FaceWebhookRoute()` routes, so the raw-body readers read those bodies as bytes. The
 * readers run before routing, so they need the exact paths the adapter serves the routes at (global
 * prefix, versions, `RouterModule` paths): rather than recompute them, they are read from the
 * adapter's own route table.
 * - Express: in `onModuleInit` (Nest registers the routes before calling it), from the app
 *   router's `stack`: each layer with a `route` has its `path`, and a layer per handler in
 *   `route.stack` with its `method` and `handle`, the function Nest registered, onto which Nest
 *   copies the handler's metadata.
 * - Fastify: from an `onRoute` hook added by `watch()`, before Nest registers the routes. Its
 *   `handler` is not always the function Nest registered (the FastifyAdapter wraps the handler of
 *   a path with parameters in one without the metadata), so `watch()` gives each declared route
 *   an entry in its route config (what `@RouteConfig()` sets, merged with the app's own), which
 *   Fastify hands to the hook as `routeOptions.config` (requests see it in
 *   `request.routeOptions.config` too).
 * A request is then matched the way the adapter will route it: Express by the router layer's own
 * matcher over the path its router reads from the URL (`pathOf`: the fragment cut off too), Fastify
 * by the route it has already chosen. At startup every declared route is checked, so a mistake stops the app instead
 * of a delivery.
 */
@Injectable()
export class AppWebhookRoutes implements OnModuleInit {
  private registered: RegisteredRoute[] = [];
  private adapter?: AbstractHttpAdapter;
  /** Fastify: `<METHOD> <route url>` -> provider. */
  private byRoute = new Map<string, string>();
  /** Express: the routes' patterns, tried in order on the request path. */
  private patterns: { method: string; matches: (path: string) => boolean; provider: string }[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly registry: FaceWebhookProviderRegistry,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
  ) {}

  /** Called once the adapter is set, before `app.init()` registers the routes. */
  watch(adapter: AbstractHttpAdapter): void {
    this.adapter = adapter;
    if (adapter.getType() !== 'fastify') return;
    for (const { handler, route } of this.declaredRoutes()) {
      if (!route) continue;
      const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined;
      Reflect.defineMetadata(
        FASTIFY_ROUTE_CONFIG_METADATA,
        { ...config, [ROUTE_CONFIG_KEY]: route },
        handler,
      );
    }
    (adapter.getInstance() as FastifyInstance).addHook('onRoute', ({ method, url, config }) => {
      const route = config?.[ROUTE_CONFIG_KEY] as FaceWebhookAppRoute | undefined;
      if (!route) return;
      for (const name of [method].flat()) this.registered.push({ method: name, path: url, route });
    });
  }

  /** Routes are registered by now (Nest registers them before calling `onModuleInit`). */
  onModuleInit(): void {
    if (this.adapter?.getType() === 'express') this.registered = this.expressRoutes();
    const problems = this.declaredRoutes().flatMap(({ name, route, requestMethod }) =>
      this.check(name, route, requestMethod),
    );
    if (problems.length > 0) throw new FaceWebhooksConfigError(problems);
    // Declared by Nest's adapters (12+), not by AbstractHttpAdapter.
    const matching = (
      this.adapter as Partial<Pick<HttpServer, 'getRouteMatchingOptions'>> | undefined
    )?.getRouteMatchingOptions?.();
    const maxParamLength = matching?.maxParamLength;
    const tenantRoutes = this.registered.filter(({ route }) => route.tenantParam !== undefined);
    if (maxParamLength !== undefined && maxParamLength < MAX_TENANT_LENGTH && tenantRoutes.length > 0) {
      // Fastify answers 414 to a longer parameter before any of this runs: only the app can change it.
      new Logger('FaceWebhooks').warn(
        `Tenant ids longer than ${maxParamLength} characters get 414 at ${tenantRoutes
          .map(({ method, path }) => `${method} ${path}`)
          .join(', ')}: create the FastifyAdapter with { maxParamLength: ${MAX_TENANT_LENGTH} } to serve ` +
          `every tenant id (up to ${MAX_TENANT_LENGTH} characters)`,
      );
    }
    this.byRoute = new Map(
      this.registered.map(({ method, path, route }) => [`${method} ${path}`, route.provider]),
    );
    this.patterns = this.registered.map(({ method, path, route, layerMatch }) => {
      const { regexp } = pathToRegexp(path, {
        sensitive: matching?.caseSensitive ?? false,
        trailing: matching?.ignoreTrailingSlash ?? true,
      });
      return {
        method,
        provider: route.provider,
        matches: layerMatch ? layerMatches(layerMatch) : (p) => regexp.test(p),
      };
    });
  }

  /**
   * The provider whose `@FaceWebhookRoute()` a request is for, if any. `routeUrl`: the route
   * Fastify chose for it (Fastify routes before it reads the body); Express has not routed yet.
   */
  matchAppRoute(method: string | undefined, url: string | undefined, routeUrl?: string): string | undefined {
    if (this.registered.length === 0 || !method || !url) return undefined;
    if (this.adapter?.getType() === 'fastify') {
      return routeUrl === undefined ? undefined : this.byRoute.get(`${method} ${routeUrl}`);
    }
    const path = pathOf(url);
    return this.patterns.find((pattern) => pattern.method === method && pattern.matches(path))?.provider;
  }

  /** The `@FaceWebhookRoute()` routes in the Express app router, with the paths it matches them by. */
  private expressRoutes(): RegisteredRoute[] {
    const found: RegisteredRoute[] = [];
    for (const layer of (this.adapter!.getInstance() as ExpressApp).router?.stack ?? []) {
      const expressRoute = layer.route;
      if (!expressRoute) continue;
      for (const { method, handle } of expressRoute.stack) {
        const route = typeof handle === 'function' ? faceWebhookAppRouteOf(handle) : undefined;
        if (!route || method === undefined) continue;
        for (const path of [expressRoute.path].flat())
          found.push({ method: method.toUpperCase(), path, route, layerMatch: layer.match?.bind(layer) });
      }
    }
    return found;
  }

  /** Each controller method with `@FaceWebhookRoute()` or `@FaceWebhookEvent()`. */
  private declaredRoutes(): DeclaredRoute[] {
    const found: DeclaredRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (prototype as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const route = faceWebhookAppRouteOf(method);
        const takesEvent =
          Reflect.getMetadata(FACE_WEBHOOK_EVENT_PARAM_METADATA, prototype, methodName) === true;
        if (!route && !takesEvent) continue;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, method) as RequestMethod | undefined;
        found.push({ name: `${wrapper.name}.${methodName}`, handler: method, route, requestMethod });
      }
    }
    return found;
  }

  private check(
    name: string,
    route: FaceWebhookAppRoute | undefined,
    method: RequestMethod | undefined,
  ): string[] {
    if (!route) return [`${name} takes @FaceWebhookEvent() but has no @FaceWebhookRoute()`];
    const { provider, tenantParam } = route;
    const declared = `${name}: @FaceWebhookRoute('${provider}')`;
    if (method === undefined || !BODY_REQUEST_METHODS.has(method)) {
      return [`${declared} needs a @Post(), @Put() or @Patch() route`];
    }
    if (!this.registry.get(provider)) return [`${declared} needs ${provider} enabled in FaceWebhooksModule`];
    if (tenantParam === undefined && !this.settings.singleRoutes.includes(provider)) {
      return [`${declared} needs ${provider}'s own credentials, or tenantParam with ${provider}.tenants`];
    }
    if (tenantParam !== undefined && !this.settings.tenantRoutes.includes(provider)) {
      return [`${declared} has tenantParam, so ${provider}.tenants must be set`];
    }
    // An application context has no HTTP adapter: nothing is served, nothing to find.
    if (!this.adapter) return [];
    const paths = this.registered.filter((registered) => registered.route === route).map(({ path }) => path);
    if (paths.length === 0) return [`${declared}: the route was not found among those the app registered`];
    if (tenantParam !== undefined && !paths.every((path) => path.includes(`:${tenantParam}`))) {
      return [`${declared}: tenantParam '${tenantParam}' is not a parameter of ${paths.join(', ')}`];
    }
    return [];
  }
}

/**
 * Whether the router layer routes `path`. A malformed escape in a parameter makes the router answer
 * 400 itself, without reaching the route: not the route's, then.
 */
function layerMatches(match: (path: string) => unknown): (path: string) => boolean {
  return (path) => {
    try {
      return Boolean(match(path));
    } catch {
      return false;
    }
  };
}
