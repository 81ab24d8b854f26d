/** Metadata key of a route the app declares as a provider's delivery route. */
export const FACE_WEBHOOK_APP_ROUTE_METADATA = 'nestjs-face-webhooks:app-route';

/** The options of `@FaceWebhookRoute(provider, options)`. */
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
  /** The provider's name: `'faceio'`, or one of the app's `webhookProviders`. */
  readonly provider: string;
}

/** The route's `@FaceWebhookRoute()` declaration, if it has one. */
export function faceWebhookAppRouteOf(handler: object): FaceWebhookAppRoute | undefined {
  return Reflect.getMetadata(FACE_WEBHOOK_APP_ROUTE_METADATA, handler) as FaceWebhookAppRoute | undefined;
}
