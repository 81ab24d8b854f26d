import type { PROVIDER_DEFINITIONS } from '../../face-webhooks.options.js';

/** Metadata key of a route the app declares as a provider's delivery route. */
export const FACE_WEBHOOK_APP_ROUTE_METADATA = 'nestjs-face-webhooks:app-route';

/** A provider the library ships: `'faceio'`, `'facesign'` or `'idaas'`. */
export type FaceWebhookProviderName = keyof typeof PROVIDER_DEFINITIONS;

export interface FaceWebhookRouteOptions {
  /**
   * The route parameter that holds the tenant id (`@Post('hooks/:tenant')` with
   * `tenantParam: 'tenant'`): the delivery is authenticated with that tenant's settings (the
   * provider's `tenants` lookup). An unknown tenant and a failed authentication then get the same
   * 404, as on the module's tenant routes.
   */
  readonly tenantParam?: string;
}

/** What `@FaceWebhookRoute()` records on a route handler. */
export interface FaceWebhookAppRoute extends FaceWebhookRouteOptions {
  readonly provider: FaceWebhookProviderName;
}

/** The route's `@FaceWebhookRoute()` declaration, if it has one. */
export function faceWebhookAppRouteOf(handler: object): FaceWebhookAppRoute | undefined {
  return Reflect.getMetadata(FACE_WEBHOOK_APP_ROUTE_METADATA, handler) as FaceWebhookAppRoute | undefined;
}
