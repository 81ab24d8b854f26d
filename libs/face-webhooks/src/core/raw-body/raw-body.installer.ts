import { Inject, Injectable, Logger, RequestMethod, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { take } from 'rxjs';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../face-webhooks.tokens.js';
import { reasonOfStatus } from '../../observability/delivery-outcome.js';
import { FaceWebhooksTelemetry } from '../../observability/face-webhooks.telemetry.js';
import { WebhookRouteMatcher } from '../routing/webhook-route-matcher.js';
import { createExpressRawBodyMiddleware } from './express-raw-body.middleware.js';
import { installFastifyRawBody } from './fastify-raw-body.hooks.js';

/**
 * Puts the raw-body reader in front of Nest's body parser (Express) or in Fastify's parsing step,
 * so the app needs no `rawBody: true`.
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
  ) {
    this.matcher = new WebhookRouteMatcher(settings.basePath, settings.singleRoutes, settings.tenantRoutes);
    const onRefused = (url: string, status: number) => {
      const provider = this.matcher.providerOf(url);
      if (provider) telemetry.recordDelivery(provider, 'rejected', reasonOfStatus(status));
    };
    if (!settings.routes) return;
    adapterHost.init$.pipe(take(1)).subscribe(() => {
      const adapter = adapterHost.httpAdapter;
      const type = adapter.getType();
      const { bodyLimitBytes, bodyTimeoutMs } = settings;
      if (type === 'express') {
        adapter.use(createExpressRawBodyMiddleware(this.matcher, bodyLimitBytes, bodyTimeoutMs, onRefused));
      } else if (type === 'fastify') {
        installFastifyRawBody(adapter.getInstance(), this.matcher, bodyLimitBytes, bodyTimeoutMs, onRefused);
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
