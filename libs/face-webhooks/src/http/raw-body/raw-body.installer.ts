import { Inject, Injectable, Logger, RequestMethod, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { take } from 'rxjs';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../../contracts/face-webhooks.tokens.js';
import { reasonOfStatus } from '../../observability/delivery-outcome.js';
import { FaceWebhooksTelemetry } from '../../observability/face-webhooks.telemetry.js';
import { WebhookRouteMatcher } from '../routing/webhook-route-matcher.js';
import { AppWebhookRoutes } from '../app-routes/app-webhook-routes.js';
import { serveTenantAsWildcard } from '../routing/wildcard-tenant-route.js';
import type { BodyRouteMatch, BodyRoutes } from './raw-body.js';
import { createExpressRawBodyMiddleware } from './express-raw-body.middleware.js';
import { installFastifyRawBody } from './fastify-raw-body.hooks.js';
import { BodyDeadlines } from './body-deadlines.js';

/**
 * Puts the raw-body reader in front of Nest's body parser (Express) or in Fastify's parsing step,
 * so the app needs no `rawBody: true`: for the module's routes and the app's `@FaceWebhookRoute()`s.
 * Nest registers its parser in `app.init()`; the HTTP adapter is known earlier (`init$` fires when
 * it is set, with `NestFactory.create` and with a testing module's `createNestApplication`). The
 * global prefix is known by `onModuleInit` (it is set before `init()`), and only then do the
 * readers know the exact paths they serve.
 */
@Injectable()
export class RawBodyInstaller implements OnModuleInit {
  private problem?: string;
  private readonly matcher: WebhookRouteMatcher;

  constructor(
    adapterHost: HttpAdapterHost,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
    private readonly appConfig: ApplicationConfig,
    telemetry: FaceWebhooksTelemetry,
    appRoutes: AppWebhookRoutes,
  ) {
    // A process with `routes: false` serves no module route, but may serve routes of its own.
    this.matcher = settings.routes
      ? new WebhookRouteMatcher(settings.basePath, settings.singleRoutes, settings.tenantRoutes)
      : new WebhookRouteMatcher(settings.basePath, []);
    const onRefused = (provider: string, status: number) => {
      telemetry.recordDelivery(provider, 'rejected', reasonOfStatus(status));
    };
    const matched = new Map<string, BodyRouteMatch>();
    const byProvider = (provider: string): BodyRouteMatch => {
      let match = matched.get(provider);
      if (!match) matched.set(provider, (match = { provider }));
      return match;
    };
    // The app's routes first: one of its paths may look like a near miss of the module's.
    const routes: BodyRoutes = (method, url, routeUrl) => {
      const appRoute = appRoutes.matchAppRoute(method, url, routeUrl);
      if (appRoute !== undefined) return byProvider(appRoute);
      const match = this.matcher.match(method, url);
      return match === 'route' ? byProvider(this.matcher.providerOf(url ?? '')!) : match;
    };
    adapterHost.init$.pipe(take(1)).subscribe(() => {
      const adapter = adapterHost.httpAdapter;
      // An application context (a worker process) has no HTTP adapter: nothing to read.
      if (!adapter) return;
      const type = adapter.getType();
      const limits = { limit: settings.bodyLimitBytes, deadlines: new BodyDeadlines(settings.bodyTimeoutMs) };
      appRoutes.watch(adapter);
      if (type === 'express') {
        adapter.use(createExpressRawBodyMiddleware(routes, limits, onRefused));
      } else if (type === 'fastify') {
        installFastifyRawBody(adapter.getInstance(), routes, limits, onRefused);
        serveTenantAsWildcard(adapter.getInstance());
      } else {
        this.problem = `nestjs-face-webhooks supports the express and fastify HTTP adapters, not "${type}"`;
      }
    });
  }

  onModuleInit(): void {
    if (this.problem) throw new Error(this.problem);
    if (!this.settings.routes) return;
    this.matcher.mount(this.globalPrefix());
    new Logger('FaceWebhooks').log(
      `Receiving webhooks at ${this.matcher.paths.map((path) => `POST ${path}`).join(', ')}`,
    );
  }

  /** The app's global prefix, unless the app excluded the webhook route from it (as Nest decides). */
  private globalPrefix(): string {
    const prefix = this.appConfig.getGlobalPrefix();
    if (!prefix) return '';
    const route = `/${this.settings.basePath ? `${this.settings.basePath}/` : ''}:provider`;
    const excluded = (this.appConfig.getGlobalPrefixOptions().exclude ?? []).some(
      (rule) =>
        (rule.requestMethod === RequestMethod.ALL || rule.requestMethod === RequestMethod.POST) &&
        rule.pathRegex.test(route),
    );
    return excluded ? '' : prefix;
  }
}
