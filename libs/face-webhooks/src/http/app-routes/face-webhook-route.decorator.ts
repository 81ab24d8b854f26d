import { HttpStatus, SetMetadata, UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import {
  FACE_WEBHOOK_APP_ROUTE_METADATA,
  type FaceWebhookAppRoute,
  type FaceWebhookRouteOptions,
} from './face-webhook-app-route.js';
import { FaceWebhookRouteGuard } from './face-webhook-route.guard.js';
import { FaceWebhookRouteInterceptor } from './face-webhook-route.interceptor.js';

/**
 * Makes a route of your own a delivery route of `provider`, with the safety of the module's
 * route: the library reads this route's body as exact bytes (no `rawBody: true` needed; other
 * routes are left alone), authenticates each request with the provider's scheme (401, or 404 for
 * a tenant), and answers 200 unless you set `@HttpCode()`. Take the validated event with
 * `@FaceWebhookEvent()` and hand it on with `FaceWebhookPipeline`.
 *
 * The route must be `@Post()`, `@Put()` or `@Patch()`, and the provider enabled in
 * `FaceWebhooksModule`: the app refuses to start otherwise.
 *
 * @example
 * ```ts
 * import { Controller, Post } from '@nestjs/common';
 * import {
 *   FaceWebhookEvent,
 *   FaceWebhookPipeline,
 *   FaceWebhookRoute,
 *   type FaceEventOf,
 *   type WebhookAck,
 * } from 'nestjs-face-webhooks';
 *
 * @Controller('legacy')
 * export class LegacyIdaasController {
 *   constructor(private readonly pipeline: FaceWebhookPipeline) {}
 *
 *   @Post('idaas-events')
 *   @FaceWebhookRoute('idaas')
 *   receive(@FaceWebhookEvent() event: FaceEventOf<'idaas.**'>): Promise<WebhookAck> {
 *     return this.pipeline.process(event); // de-duplicated, handlers run (or queued: 202)
 *   }
 * }
 * ```
 */
export function FaceWebhookRoute(provider: string, options: FaceWebhookRouteOptions = {}): MethodDecorator {
  const route: FaceWebhookAppRoute = { provider, ...options };
  return applyDecorators(
    SetMetadata(FACE_WEBHOOK_APP_ROUTE_METADATA, route),
    DefaultHttpCode(HttpStatus.OK),
    UseGuards(FaceWebhookRouteGuard),
    UseInterceptors(FaceWebhookRouteInterceptor),
  );
}

/** `@HttpCode(status)`, unless the route has one: above or below this decorator, the app's wins. */
function DefaultHttpCode(status: number): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    if (Reflect.getMetadata(HTTP_CODE_METADATA, handler) === undefined) {
      Reflect.defineMetadata(HTTP_CODE_METADATA, status, handler);
    }
  };
}
