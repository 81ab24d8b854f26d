import { ConfigurableModuleBuilder } from '@nestjs/common';
import { FACE_WEBHOOKS_MODULE_OPTIONS } from './contracts/face-webhooks.tokens.js';
import { loadWithOptionalPeers } from './contracts/optional-peer.js';
import { createFaceWebhooksConsoleController } from './console/face-webhooks-console.controller.js';
import { createFaceWebhooksController } from './http/routing/face-webhooks.controller.js';
import {
  DEFAULT_BASE_PATH,
  resolveExtras,
  type FaceWebhooksModuleExtras,
  type FaceWebhooksModuleOptions,
} from './face-webhooks.options.js';

/** Injection token of the resolved extras (`ResolvedFaceWebhooksExtras`). */
export const FACE_WEBHOOKS_EXTRAS = Symbol('FACE_WEBHOOKS_EXTRAS');
/** Injection token of the webhook routes' controller class (null with `routes: false`), for OpenAPI. */
export const FACE_WEBHOOKS_CONTROLLER = Symbol('FACE_WEBHOOKS_CONTROLLER');

export const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<FaceWebhooksModuleOptions>({
  moduleName: 'FaceWebhooks',
  optionsInjectionToken: FACE_WEBHOOKS_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createFaceWebhooksOptions')
  .setExtras<FaceWebhooksModuleExtras>(
    { basePath: DEFAULT_BASE_PATH, routes: true, queue: false },
    (definition, extras) => {
      const resolved = resolveExtras(extras);
      const controller = resolved.routes ? createFaceWebhooksController(resolved.basePath) : null;
      return {
        ...definition,
        // Global, so the exported guards and services can be used in any module of the app.
        global: true,
        controllers: [
          ...(definition.controllers ?? []),
          ...(controller ? [controller] : []),
          ...(resolved.console ? [createFaceWebhooksConsoleController(resolved.console)] : []),
        ],
        imports: [
          ...(definition.imports ?? []),
          // Loaded only when asked for, so inline apps need neither BullMQ nor Redis.
          ...(resolved.queue
            ? [
                loadWithOptionalPeers(
                  ['@nestjs/bullmq', 'bullmq', 'ioredis'],
                  'queue (forRoot/forRootAsync)',
                  () => import('./queue/face-event-queue.module.js'),
                ).then(({ FaceEventQueueModule }) => FaceEventQueueModule.register()),
              ]
            : []),
        ],
        providers: [
          ...(definition.providers ?? []),
          { provide: FACE_WEBHOOKS_EXTRAS, useValue: resolved },
          { provide: FACE_WEBHOOKS_CONTROLLER, useValue: controller },
        ],
      };
    },
  )
  .build();
