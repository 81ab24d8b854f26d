import { AtRestCipher } from './contracts/at-rest-encryption.js';
import { Module, type Provider, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FaceDeliveryLog, withShownPayload } from './console/face-delivery-log.js';
import { MemoryDeliveryLog } from './console/memory-delivery-log.js';
import { RedisDeliveryLog } from './console/redis-delivery-log.js';
import {
  FACE_WEBHOOK_PROVIDERS,
  FACE_WEBHOOKS_MODULE_OPTIONS,
  FACE_WEBHOOKS_SETTINGS,
} from './contracts/face-webhooks.tokens.js';
import { RawBodyInstaller } from './http/raw-body/raw-body.installer.js';
import { AppWebhookRoutes } from './http/app-routes/app-webhook-routes.js';
import { FaceWebhookPipeline } from './http/app-routes/face-webhook-pipeline.js';
import { documentWebhookRoutes } from './http/routing/openapi.js';
import { FaceWebhooksTelemetry } from './observability/face-webhooks.telemetry.js';
import { FaceWebhookIdempotencyStore } from './pipeline/deduplication/idempotency-store.js';
import { MemoryIdempotencyStore } from './pipeline/deduplication/memory-idempotency-store.js';
import { RedisIdempotencyStore } from './pipeline/deduplication/redis-idempotency-store.js';
import { StoreSizeGauge } from './pipeline/deduplication/store-size.gauge.js';
import { DeliveryAuthenticator } from './pipeline/delivery-authenticator.js';
import { DeliveryParser } from './pipeline/delivery-parser.js';
import { EventSettler } from './pipeline/event-settler.js';
import { FaceWebhookProviderRegistry } from './pipeline/face-webhook-provider.registry.js';
import { FaceWebhookReceiver } from './pipeline/face-webhook.receiver.js';
import { FaceEventDispatcher } from './pipeline/handlers/face-event-dispatcher.js';
import { HandlerRuns } from './pipeline/handlers/handler-runs.js';
import { EventLeases } from './pipeline/deduplication/event-leases.js';
import { BUILT_IN_PROVIDERS } from './providers/built-in-providers.js';
import { FACE_EVENT_QUEUE_SETTINGS } from './queue/face-event-queue.settings.js';
import { FaceWebhookTenants } from './tenants/face-webhook-tenants.js';
import { FACE_WEBHOOK_TENANT_SOURCES } from './tenants/tenant-source.js';
import {
  ConfigurableModuleClass,
  FACE_WEBHOOKS_CONTROLLER,
  FACE_WEBHOOKS_EXTRAS,
} from './face-webhooks.module-definition.js';
import {
  resolveFaceWebhooksOptions,
  type ResolvedFaceWebhooksExtras,
  type ResolvedFaceWebhooksOptions,
} from './face-webhooks.options.js';

const RESOLVED_OPTIONS = Symbol('RESOLVED_FACE_WEBHOOKS_OPTIONS');
const OPENAPI_DOCUMENTED = Symbol('FACE_WEBHOOKS_OPENAPI_DOCUMENTED');
/** The Nest providers the shipped providers add (FaceSign's media service), provided and exported. */
const BUILT_IN_MODULE_PROVIDERS: Provider[] = BUILT_IN_PROVIDERS.flatMap((definition) => [
  ...(definition.moduleProviders ?? []),
]);

/**
 * Mounts `POST /<basePath>/<provider>` for each enabled provider and delivers authenticated,
 * validated, de-duplicated events to `@OnFaceEvent` handlers. `forRoot(options)` takes the options
 * as they are; `forRootAsync({ imports, inject, useFactory })` builds them from other providers,
 * such as `ConfigService`.
 *
 * @example
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { ConfigModule, ConfigService } from '@nestjs/config';
 * import { FaceWebhooksModule } from 'nestjs-face-webhooks';
 *
 * @Module({
 *   imports: [
 *     FaceWebhooksModule.forRootAsync({
 *       imports: [ConfigModule],
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         faceio: { token: config.getOrThrow<string>('FACEIO_WEBHOOK_TOKEN') },
 *       }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      inject: [FACE_WEBHOOKS_MODULE_OPTIONS, FACE_WEBHOOKS_EXTRAS],
      useFactory: resolveFaceWebhooksOptions,
    },
    {
      provide: FACE_WEBHOOKS_SETTINGS,
      inject: [RESOLVED_OPTIONS],
      useFactory: (resolved: ResolvedFaceWebhooksOptions) => resolved.settings,
    },
    {
      provide: FACE_WEBHOOK_PROVIDERS,
      inject: [RESOLVED_OPTIONS],
      useFactory: (resolved: ResolvedFaceWebhooksOptions) => resolved.providers,
    },
    {
      provide: FACE_WEBHOOK_TENANT_SOURCES,
      inject: [RESOLVED_OPTIONS],
      useFactory: (resolved: ResolvedFaceWebhooksOptions) => resolved.tenantSources,
    },
    FaceWebhookTenants,
    {
      provide: FaceWebhookIdempotencyStore,
      inject: [RESOLVED_OPTIONS],
      useFactory: ({ deduplication }: ResolvedFaceWebhooksOptions) =>
        deduplication.store === 'custom'
          ? deduplication.instance
          : deduplication.store === 'redis'
            ? RedisIdempotencyStore.connect(deduplication.redis, deduplication.keyPrefix)
            : new MemoryIdempotencyStore(deduplication.maxEntries),
    },
    {
      provide: AtRestCipher,
      inject: [RESOLVED_OPTIONS],
      useFactory: (resolved: ResolvedFaceWebhooksOptions) => resolved.cipher,
    },
    {
      provide: FACE_EVENT_QUEUE_SETTINGS,
      inject: [RESOLVED_OPTIONS],
      useFactory: (resolved: ResolvedFaceWebhooksOptions) => resolved.queue,
    },
    {
      // Only with the console, so nothing is logged otherwise: in Redis (shared by every instance)
      // when the module has Redis, else in memory. It hears of deliveries from telemetry.
      provide: FaceDeliveryLog,
      inject: [RESOLVED_OPTIONS, FACE_WEBHOOKS_EXTRAS, FaceWebhooksTelemetry],
      useFactory: async (
        resolved: ResolvedFaceWebhooksOptions,
        { console }: ResolvedFaceWebhooksExtras,
        telemetry: FaceWebhooksTelemetry,
      ) => {
        if (!console) return null;
        const redis = resolved.redis;
        const log = redis
          ? await RedisDeliveryLog.connect(
              redis,
              resolved.redisKeyPrefix,
              console.maxEntries,
              undefined,
              resolved.cipher,
            )
          : new MemoryDeliveryLog(console.maxEntries);
        const show = console.payload;
        telemetry.onDelivery((note) => log.record(show ? withShownPayload(note, show) : note));
        return log;
      },
    },
    {
      // Documents the webhook routes for @nestjs/swagger with the enabled providers, when the
      // module's providers are made: before an app calls SwaggerModule.createDocument().
      provide: OPENAPI_DOCUMENTED,
      inject: [RESOLVED_OPTIONS, FACE_WEBHOOKS_CONTROLLER],
      useFactory: (resolved: ResolvedFaceWebhooksOptions, controller: Type<unknown> | null) => {
        if (controller) documentWebhookRoutes(controller, resolved.definitions as never[]);
        return true;
      },
    },
    ...BUILT_IN_MODULE_PROVIDERS,
    FaceWebhookProviderRegistry,
    FaceEventDispatcher,
    HandlerRuns,
    EventLeases,
    DeliveryAuthenticator,
    DeliveryParser,
    EventSettler,
    FaceWebhookReceiver,
    RawBodyInstaller,
    AppWebhookRoutes,
    FaceWebhookPipeline,
    FaceWebhooksTelemetry,
    StoreSizeGauge,
  ],
  exports: [
    FaceWebhookPipeline,
    // For the guard, pipe and interceptor of `@FaceWebhookRoute()`, which Nest builds in the app's modules.
    DeliveryAuthenticator,
    DeliveryParser,
    FaceWebhooksTelemetry,
    FaceWebhookTenants,
    FaceWebhookProviderRegistry,
    FaceWebhookIdempotencyStore,
    AtRestCipher,
    ...BUILT_IN_MODULE_PROVIDERS,
    FaceEventDispatcher,
    HandlerRuns,
    EventLeases,
    FACE_WEBHOOKS_SETTINGS,
    FACE_EVENT_QUEUE_SETTINGS,
  ],
})
export class FaceWebhooksModule extends ConfigurableModuleClass {}
