import type { ExecutionContext } from '@nestjs/common';
import { faceWebhookAppRouteOf } from './app-routes/face-webhook-app-route.js';
import { FACE_WEBHOOK_ROUTE_METADATA } from '../contracts/face-webhooks.tokens.js';

/**
 * Whether a request is for one of the module's webhook routes or a `@FaceWebhookRoute()` of yours. Webhook senders carry no user
 * session, so an app-wide guard (`APP_GUARD`, say JWT auth) must let them through; the module
 * authenticates them itself.
 *
 * @example
 * ```ts
 * import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
 * import { isFaceWebhookRoute } from 'nestjs-face-webhooks';
 *
 * @Injectable()
 * export class ApiKeyGuard implements CanActivate {
 *   canActivate(context: ExecutionContext): boolean {
 *     if (isFaceWebhookRoute(context)) return true; // the module authenticates deliveries itself
 *     const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
 *     return request.headers['x-api-key'] === process.env.API_KEY;
 *   }
 * }
 * ```
 */
export function isFaceWebhookRoute(context: ExecutionContext): boolean {
  return (
    Reflect.getMetadata(FACE_WEBHOOK_ROUTE_METADATA, context.getClass()) === true ||
    faceWebhookAppRouteOf(context.getHandler()) !== undefined
  );
}
