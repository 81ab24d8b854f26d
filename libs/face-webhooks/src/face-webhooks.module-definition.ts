import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { FaceDeliveryLog } from './console/face-delivery-log.js';
import { MemoryDeliveryLog } from './console/memory-delivery-log.js';
import { RedisDeliveryLog } from './console/redis-delivery-log.js';
import { createFaceWebhooksConsoleController } from './console/face-webhooks-console.controller.js';
import { createFaceWebhooksController } from './core/routing/face-webhooks.controller.js';
import {
  DEFAULT_BASE_PATH,
  PROVIDER_DEFINITIONS,
  resolveExtras,
  type FaceWebhooksModuleExtras,
  type FaceWebhooksModuleOptions,
} from './face-webhooks.options.js';

/** Injection token of the resolved extras (`ResolvedFaceWebhooksExtras`). */
export const FACE_WEBHOOKS_EXTRAS = Symbol('FACE_WEBHOOKS_EXTRAS');

// The options token, for a provider the extras add; set right after the builder makes it.
const tokens: { options?: string | symbol } = {};

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: FACE_WEBHOOKS_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<FaceWebhooksModuleOptions>({ moduleName: 'FaceWebhooks' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createFaceWebhooksOptions')
    .setExtras<FaceWebhooksModuleExtras>(
      { basePath: DEFAULT_BASE_PATH, routes: true, queue: false },
      (definition, extras): DynamicModule => {
        const resolved = resolveExtras(extras);
        return {
          ...definition,
          // Global, so the exported guards and services can be used in any module of the app.
          global: true,
          controllers: [
            ...(definition.controllers ?? []),
            ...(resolved.routes
              ? [createFaceWebhooksController(resolved.basePath, Object.values(PROVIDER_DEFINITIONS))]
              : []),
            ...(resolved.console ? [createFaceWebhooksConsoleController(resolved.console)] : []),
          ],
          imports: [
            ...(definition.imports ?? []),
            // Loaded only when asked for, so inline apps need neither BullMQ nor Redis.
            ...(resolved.queue
              ? [
                  import('./core/queue/face-event-queue.module.js').then(({ FaceEventQueueModule }) =>
                    FaceEventQueueModule.register(),
                  ),
                ]
              : []),
          ],
          providers: [
            ...(definition.providers ?? []),
            { provide: FACE_WEBHOOKS_EXTRAS, useValue: resolved },
            // The delivery log exists only with the console, so nothing is logged otherwise: in
            // Redis (shared by every instance) when the module has Redis, else in memory.
            ...(resolved.console
              ? [
                  {
                    provide: FaceDeliveryLog,
                    inject: [tokens.options!],
                    useFactory: (options: FaceWebhooksModuleOptions) =>
                      options.redis
                        ? RedisDeliveryLog.connect(
                            options.redis,
                            options.redisKeyPrefix ?? 'face-webhooks:',
                            resolved.console!.maxEntries,
                          )
                        : new MemoryDeliveryLog(resolved.console!.maxEntries),
                  },
                ]
              : []),
          ],
        };
      },
    )
    .build();
tokens.options = FACE_WEBHOOKS_MODULE_OPTIONS;
