import type { ExecutionContext } from '@nestjs/common';
import { faceWebhookAppRouteOf } from './app-routes/face-webhook-app-route.js';
import { FACE_WEBHOOK_ROUTE_METADATA } from '../contracts/face-webhooks.tokens.js';

/**
 * Whether a request is for one of the module's webhook routes or a `@FaceWebhookRoute()` of yours. Webhook senders carry no user
 * session, so an app-wide guard (`APP_GUARD`, say JWT auth) must let them through; the module
 * authenticates them itself:
 *
 * ```ts
 * canActivate(context: ExecutionContext) {
 *   if (isFaceWebhookRoute(context)) return true;
 *   ...
 * }
 * ```
 */
export function isFaceWebhookRoute(context: ExecutionContext): boolean {
  return (
    Reflect.getMetadata(FACE_WEBHOOK_ROUTE_METADATA, context.getClass()) === true ||
    faceWebhookAppRouteOf(context.getHandler()) !== undefined
  );
}
