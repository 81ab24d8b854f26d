/**
 * Injection token of the module's options (`FaceWebhooksModuleOptions`), as `forRoot()` got them
 * or `forRootAsync()`'s factory returned them: what a provider's own services read their settings from.
 */
export const FACE_WEBHOOKS_MODULE_OPTIONS = Symbol('FACE_WEBHOOKS_MODULE_OPTIONS');
/** The enabled providers (`FaceWebhookProvider[]`), built from the module's options. */
export const FACE_WEBHOOK_PROVIDERS = Symbol('FACE_WEBHOOK_PROVIDERS');
/** The module's resolved, provider-neutral settings ({@link FaceWebhooksSettings}). */
export const FACE_WEBHOOKS_SETTINGS = Symbol('FACE_WEBHOOKS_SETTINGS');
/** Metadata key marking the module's webhook controller (see `isFaceWebhookRoute`). */
export const FACE_WEBHOOK_ROUTE_METADATA = 'nestjs-face-webhooks:route';
/** Metadata key under which `@OnFaceEvent` stores a method's patterns. */
export const FACE_EVENT_HANDLER_METADATA = 'nestjs-face-webhooks:event-handler';

/** `inline`: handlers run before the response. `queued`: the event is queued, then acknowledged (202). */
export type FaceDeliveryMode = 'inline' | 'queued';

/** Settings the core needs, resolved and checked from the module's options. */
export interface FaceWebhooksSettings {
  /** Path segment(s) under which each provider's route is mounted, without slashes at the ends. */
  readonly basePath: string;
  /** Whether this process serves the webhook routes. */
  readonly routes: boolean;
  /** Providers served at `<basePath>/<provider>`: those with credentials of their own. */
  readonly singleRoutes: readonly string[];
  /** Providers served at `<basePath>/<provider>/<tenant>`: those with `tenants`. */
  readonly tenantRoutes: readonly string[];
  /** Largest accepted body, in bytes. */
  readonly bodyLimitBytes: number;
  /** How long a sender may take to send the body of a webhook request. */
  readonly bodyTimeoutMs: number;
  /** Delivery mode per provider name. */
  readonly deliveryModes: Readonly<Record<string, FaceDeliveryMode>>;
  /** How long a claim of an event in flight blocks other copies (a crashed instance's claim ends then). */
  readonly inFlightTtlMs: number;
  /**
   * How long a fenced store's lease of an event outlives its owner's last renewal (the owner renews
   * it every quarter of this while it handles the event or writes its outcome).
   */
  readonly leaseMs: number;
  /** How long shutdown waits for deliveries in flight. */
  readonly shutdownTimeoutMs: number;
}
