import { ConfigurableModuleBuilder } from '@nestjs/common';
import { createFaceWebhooksConsoleController } from './console/face-webhooks-console.controller.js';
import { createFaceWebhooksController } from './http/routing/face-webhooks.controller.js';
import {
  DEFAULT_BASE_PATH,
  PROVIDER_DEFINITIONS,
  resolveExtras,
  type FaceWebhooksModuleExtras,
  type FaceWebhooksModuleOptions,
} from './face-webhooks.options.js';

/** Injection token of the resolved extras (`ResolvedFaceWebhooksExtras`). */
export const FACE_WEBHOOKS_EXTRAS = Symbol('FACE_WEBHOOKS_EXTRAS');

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: FACE_WEBHOOKS_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<FaceWebhooksModuleOptions>({ moduleName: 'FaceWebhooks' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createFaceWebhooksOptions')
    .setExtras<FaceWebhooksModuleExtras>(
      { basePath: DEFAULT_BASE_PATH, routes: true, queue: false },
      (definition, extras) => {
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
                  import('./queue/face-event-queue.module.js').then(({ FaceEventQueueModule }) =>
                    FaceEventQueueModule.register(),
                  ),
                ]
              : []),
          ],
          providers: [...(definition.providers ?? []), { provide: FACE_WEBHOOKS_EXTRAS, useValue: resolved }],
        };
      },
    )
    .build();
