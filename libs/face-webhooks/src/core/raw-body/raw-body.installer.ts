import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { take } from 'rxjs';
import { FaceWebhookProviderRegistry } from '../face-webhook-provider.registry.js';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../face-webhooks.tokens.js';
import { createExpressRawBodyMiddleware } from './express-raw-body.middleware.js';
import { installFastifyRawBody } from './fastify-raw-body.hooks.js';
import { WebhookRouteMatcher } from '../routing/webhook-route-matcher.js';

/**
 * Puts the raw-body reader in front of Nest's body parser (Express) or in Fastify's parsing step,
 * so the app needs no `rawBody: true`.
 * Nest registers its parser in `app.init()`; the HTTP adapter is known earlier (`init$` fires when
 * it is set, with `NestFactory.create` and with a testing module's `createNestApplication`).
 */
@Injectable()
export class RawBodyInstaller implements OnModuleInit {
  private problem?: string;

  constructor(
    adapterHost: HttpAdapterHost,
    private readonly registry: FaceWebhookProviderRegistry,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
  ) {
    if (!settings.routes) return;
    adapterHost.init$.pipe(take(1)).subscribe(() => {
      const adapter = adapterHost.httpAdapter;
      const type = adapter.getType();
      const matcher = new WebhookRouteMatcher(settings.basePath, registry.names);
      if (type === 'express') {
        adapter.use(createExpressRawBodyMiddleware(matcher, settings.bodyLimitBytes, settings.bodyTimeoutMs));
      } else if (type === 'fastify') {
        installFastifyRawBody(
          adapter.getInstance(),
          matcher,
          settings.bodyLimitBytes,
          settings.bodyTimeoutMs,
        );
      } else {
        this.problem = `nestjs-face-webhooks supports the express and fastify HTTP adapters, not "${type}"`;
      }
    });
  }

  onModuleInit(): void {
    if (this.problem) throw new Error(this.problem);
    if (!this.settings.routes) return;
    const base = this.settings.basePath ? `/${this.settings.basePath}` : '';
    const routes = this.registry.names.map((name) => `POST ${base}/${name}`).join(', ');
    new Logger('FaceWebhooks').log(`Receiving webhooks at ${routes} (under any global prefix)`);
  }
}
