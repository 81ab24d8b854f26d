import { type HttpServer, Inject, Injectable, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { type AbstractHttpAdapter, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { pathToRegexp } from 'path-to-regexp';
import { FaceWebhookProviderRegistry } from '../../pipeline/face-webhook-provider.registry.js';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../../contracts/face-webhooks.tokens.js';
import { FaceWebhooksConfigError } from '../../contracts/face-webhooks-config.error.js';
import { pathOf } from '../routing/webhook-route-matcher.js';
import { type FaceWebhookAppRoute, faceWebhookAppRouteOf } from './face-webhook-app-route.js';
import { FACE_WEBHOOK_EVENT_PARAM_METADATA } from './face-webhook-event.pipe.js';

/** The adapter methods Nest registers routes with that take a body: `@Post()`, `@Put()`, `@Patch()`. */
const BODY_METHODS = ['post', 'put', 'patch'] as const;
const BODY_REQUEST_METHODS: ReadonlySet<RequestMethod> = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
]);

interface RegisteredRoute {
  readonly method: string;
  /** The path as Nest gave it to the adapter: global prefix, version and module path included. */
  readonly path: string;
  readonly route: FaceWebhookAppRoute;
}

type RouteRegistration = (this: unknown, path: unknown, ...rest: unknown[]) => unknown;

/**
 * The app's `@FaceWebhookRoute()` routes, so the raw-body readers read those bodies as bytes. The
 * readers run before routing, so they need the exact paths Nest serves the routes at (global
 * prefix, versions, `RouterModule` paths): rather than recompute them, the adapter's route
 * registration is watched (Nest copies a handler's metadata onto the function it registers), and
 * a request is matched the way the adapter will route it: Express with the same path-to-regexp
 * and the app's case and trailing-slash settings, Fastify by the route it has already chosen.
 * At startup every declared route is checked, so a mistake stops the app instead of a delivery.
 */
@Injectable()
export class AppWebhookRoutes implements OnModuleInit {
  private readonly registered: RegisteredRoute[] = [];
  private adapter?: AbstractHttpAdapter;
  /** Fastify: `<METHOD> <route url>` -> provider. */
  private byRoute = new Map<string, string>();
  /** Express: the routes' patterns, tried in order on the request path. */
  private patterns: { method: string; regexp: RegExp; provider: string }[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly registry: FaceWebhookProviderRegistry,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
  ) {}

  /** Starts watching route registration: called once the adapter is set, before `app.init()`. */
  watch(adapter: AbstractHttpAdapter): void {
    this.adapter = adapter;
    const methods = adapter as unknown as Record<(typeof BODY_METHODS)[number], RouteRegistration>;
    for (const name of BODY_METHODS) {
      const register = methods[name];
      const registered = this.registered;
      methods[name] = function (this: unknown, path: unknown, ...rest: unknown[]) {
        const handler = rest.at(-1);
        const route = typeof handler === 'function' ? faceWebhookAppRouteOf(handler) : undefined;
        if (route && typeof path === 'string') registered.push({ method: name.toUpperCase(), path, route });
        return register.call(this, path, ...rest);
      };
    }
  }

  /** Routes are registered by now (Nest registers them before calling `onModuleInit`). */
  onModuleInit(): void {
    const problems = this.declaredRoutes().flatMap(([name, route, method]) =>
      this.check(name, route, method),
    );
    if (problems.length > 0) throw new FaceWebhooksConfigError(problems);
    // Declared by Nest's adapters (12+), not by AbstractHttpAdapter.
    const matching = (
      this.adapter as Partial<Pick<HttpServer, 'getRouteMatchingOptions'>> | undefined
    )?.getRouteMatchingOptions?.();
    this.byRoute = new Map(
      this.registered.map(({ method, path, route }) => [`${method} ${path}`, route.provider]),
    );
    this.patterns = this.registered.map(({ method, path, route }) => ({
      method,
      provider: route.provider,
      regexp: pathToRegexp(path, {
        sensitive: matching?.caseSensitive ?? false,
        trailing: matching?.ignoreTrailingSlash ?? true,
      }).regexp,
    }));
  }

  /**
   * The provider whose `@FaceWebhookRoute()` a request is for, if any. `routeUrl`: the route
   * Fastify chose for it (Fastify routes before it reads the body); Express has not routed yet.
   */
  providerOf(method: string | undefined, url: string | undefined, routeUrl?: string): string | undefined {
    if (this.registered.length === 0 || !method || !url) return undefined;
    if (this.adapter?.getType() === 'fastify') {
      return routeUrl === undefined ? undefined : this.byRoute.get(`${method} ${routeUrl}`);
    }
    const path = pathOf(url);
    return this.patterns.find((pattern) => pattern.method === method && pattern.regexp.test(path))?.provider;
  }

  /** `[Class.method, declaration, method metadata]` of each controller method with `@FaceWebhookRoute()`. */
  private declaredRoutes(): [string, FaceWebhookAppRoute | undefined, RequestMethod | undefined][] {
    const found: [string, FaceWebhookAppRoute | undefined, RequestMethod | undefined][] = [];
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
        found.push([`${wrapper.name}.${methodName}`, route, requestMethod]);
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
