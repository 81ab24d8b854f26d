import { Module } from '@nestjs/common';
import { FaceDeliveryLog } from './console/face-delivery-log.js';
import { MemoryDeliveryLog } from './console/memory-delivery-log.js';
import { RedisDeliveryLog } from './console/redis-delivery-log.js';
import { DiscoveryModule } from '@nestjs/core';
import { FaceEventDispatcher } from './pipeline/handlers/face-event-dispatcher.js';
import { FaceWebhookProviderRegistry } from './pipeline/face-webhook-provider.registry.js';
import { FaceWebhookReceiver } from './pipeline/face-webhook.receiver.js';
import { FACE_WEBHOOK_PROVIDERS, FACE_WEBHOOKS_SETTINGS } from './contracts/face-webhooks.tokens.js';
import { FaceWebhooksTelemetry } from './observability/face-webhooks.telemetry.js';
import { FaceWebhookTenants } from './tenants/face-webhook-tenants.js';
import { FACE_WEBHOOK_TENANT_SOURCES } from './tenants/tenant-source.js';
import { StoreSizeGauge } from './pipeline/deduplication/store-size.gauge.js';
import { RawBodyInstaller } from './http/raw-body/raw-body.installer.js';
import { AppWebhookRoutes } from './http/app-routes/app-webhook-routes.js';
import { FaceWebhookPipeline } from './http/app-routes/face-webhook-pipeline.js';
import { FaceWebhookIdempotencyStore } from './pipeline/deduplication/idempotency-store.js';
import { MemoryIdempotencyStore } from './pipeline/deduplication/memory-idempotency-store.js';
import {
  FACESIGN_MEDIA_DEFAULTS,
  FaceSignMediaService,
} from './providers/facesign/facesign-media.service.js';
import { RedisIdempotencyStore } from './pipeline/deduplication/redis-idempotency-store.js';
import { FACE_EVENT_QUEUE_SETTINGS } from './queue/face-event-queue.settings.js';
import {
  ConfigurableModuleClass,
  FACE_WEBHOOKS_EXTRAS,
  FACE_WEBHOOKS_MODULE_OPTIONS,
} from './face-webhooks.module-definition.js';
import {
  resolveFaceWebhooksOptions,
  type FaceWebhooksModuleOptions,
  type ResolvedFaceWebhooksExtras,
  type ResolvedFaceWebhooksOptions,
} from './face-webhooks.options.js';

const RESOLVED_OPTIONS = Symbol('RESOLVED_FACE_WEBHOOKS_OPTIONS');

/**
 * Mounts `POST /<basePath>/<provider>` for each enabled provider and delivers authenticated,
 * validated, de-duplicated events to `@OnFaceEvent` handlers.
 *
 * ```ts
 * FaceWebhooksModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ faceio: { token: config.getOrThrow('FACEIO_WEBHOOK_TOKEN') } }),
 * })
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
        deduplication.store === 'redis'
          ? RedisIdempotencyStore.connect(deduplication.redis, deduplication.keyPrefix)
          : new MemoryIdempotencyStore(deduplication.maxEntries),
    },
    {
      provide: FACE_EVENT_QUEUE_SETTINGS,
      inject: [RESOLVED_OPTIONS],
      useFactory: (resolved: ResolvedFaceWebhooksOptions) => resolved.queue,
    },
    {
      // Only with the console, so nothing is logged otherwise: in Redis (shared by every instance)
      // when the module has Redis, else in memory.
      provide: FaceDeliveryLog,
      inject: [FACE_WEBHOOKS_MODULE_OPTIONS, FACE_WEBHOOKS_EXTRAS],
      useFactory: (options: FaceWebhooksModuleOptions, { console }: ResolvedFaceWebhooksExtras) => {
        if (!console) return null;
        return options.redis
          ? RedisDeliveryLog.connect(
              options.redis,
              options.redisKeyPrefix ?? 'face-webhooks:',
              console.maxEntries,
            )
          : new MemoryDeliveryLog(console.maxEntries);
      },
    },
    {
      provide: FACESIGN_MEDIA_DEFAULTS,
      inject: [FACE_WEBHOOKS_MODULE_OPTIONS],
      useFactory: (options: FaceWebhooksModuleOptions) => options.facesign?.media ?? {},
    },
    FaceSignMediaService,
    FaceWebhookProviderRegistry,
    FaceEventDispatcher,
    FaceWebhookReceiver,
    RawBodyInstaller,
    AppWebhookRoutes,
    FaceWebhookPipeline,
    FaceWebhooksTelemetry,
    StoreSizeGauge,
  ],
  exports: [
    FaceWebhookPipeline,
    // For the guard and pipe of `@FaceWebhookRoute()`, which Nest builds in the app's modules.
    FaceWebhookReceiver,
    FaceWebhooksTelemetry,
    FaceWebhookTenants,
    FaceWebhookProviderRegistry,
    FaceWebhookIdempotencyStore,
    FaceSignMediaService,
    FaceEventDispatcher,
    FACE_WEBHOOKS_SETTINGS,
    FACE_EVENT_QUEUE_SETTINGS,
  ],
})
export class FaceWebhooksModule extends ConfigurableModuleClass {}
