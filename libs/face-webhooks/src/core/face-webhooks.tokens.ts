/** The enabled providers (`FaceWebhookProvider[]`), built from the module's options. */
export const FACE_WEBHOOK_PROVIDERS = Symbol('FACE_WEBHOOK_PROVIDERS');
/** The module's resolved, provider-neutral settings ({@link FaceWebhooksSettings}). */
export const FACE_WEBHOOKS_SETTINGS = Symbol('FACE_WEBHOOKS_SETTINGS');
/** Metadata key marking the module's webhook controller (see `isFaceWebhookRoute`). */
export const FACE_WEBHOOK_ROUTE_METADATA = 'nestjs-face-webhooks:route';
/** Metadata key under which `@OnFaceEvent` stores a method's patterns. */
export const FACE_EVENT_HANDLER_METADATA = 'nestjs-face-webhooks:event-handler';

/** Settings the core needs, resolved and checked from the module's options. */
export interface FaceWebhooksSettings {
  /** Path segment(s) under which each provider's route is mounted, without slashes at the ends. */
  readonly basePath: string;
  /** Largest accepted body, in bytes. */
  readonly bodyLimitBytes: number;
}
