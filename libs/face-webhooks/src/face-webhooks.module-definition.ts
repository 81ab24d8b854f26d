import { ConfigurableModuleBuilder } from '@nestjs/common';
import { createFaceWebhooksController } from './core/http/face-webhooks.controller.js';
import {
  DEFAULT_BASE_PATH,
  normalizeBasePath,
  type FaceWebhooksModuleExtras,
  type FaceWebhooksModuleOptions,
} from './face-webhooks.options.js';

/** Injection token of the base path the routes are mounted under. */
export const FACE_WEBHOOKS_BASE_PATH = Symbol('FACE_WEBHOOKS_BASE_PATH');

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: FACE_WEBHOOKS_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<FaceWebhooksModuleOptions>({ moduleName: 'FaceWebhooks' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createFaceWebhooksOptions')
  .setExtras<FaceWebhooksModuleExtras>({ basePath: DEFAULT_BASE_PATH }, (definition, extras) => {
    const basePath = normalizeBasePath(extras.basePath);
    return {
      ...definition,
      // Global, so the exported guards can be used in any module of the app.
      global: true,
      controllers: [...(definition.controllers ?? []), createFaceWebhooksController(basePath)],
      providers: [...(definition.providers ?? []), { provide: FACE_WEBHOOKS_BASE_PATH, useValue: basePath }],
    };
  })
  .build();
