import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';

/** What an Onfido tenant's lookup returns; settings it leaves out come from the provider's options. */
export interface OnfidoTenantSettings {
  /** The tenant's webhook token(s); a tenant never uses the provider's `secret`. */
  readonly secret: string | readonly string[];
  /** Replaces the provider's `maxEventAgeSeconds` for this tenant. */
  readonly maxEventAgeSeconds?: number;
  /** Replaces the provider's `refuseUntimedEvents` for this tenant. */
  readonly refuseUntimedEvents?: boolean;
}

/** Onfido settings. Presence of the `onfido` key enables the provider (unless `enabled: false`). */
export interface OnfidoWebhookOptions extends CommonProviderOptions {
  /**
   * The webhook's token, given when the webhook is created (in the Onfido Dashboard, or as `token`
   * in the answer of `POST /webhooks`), used as-is as the HMAC-SHA256 key; or several while
   * rotating: a signature valid under any of them passes.
   */
  readonly secret?: string | readonly string[];
  /**
   * Onfido signs no time, so the body's own time bounds how long a delivery is accepted:
   * `object.completed_at_iso8601` (or `object.started_at_iso8601` when the event has no completion
   * time). A delivery whose time is older than this many seconds, or more than 300 s ahead of now,
   * is refused (401). Must not exceed `deduplicationTtlMs`, so that a delivery old enough to be
   * forgotten is refused. Default 604800 (7 days).
   */
  readonly maxEventAgeSeconds?: number;
  /**
   * Refuse (401) a delivery whose `object` carries neither `completed_at_iso8601` nor
   * `started_at_iso8601`: its age cannot be checked, so after `deduplicationTtlMs` a captured copy
   * would be accepted again. Default `false` (such events are accepted and de-duplicated only).
   */
  readonly refuseUntimedEvents?: boolean;
  /** Many Onfido accounts or webhooks, each with its own token: `POST /<basePath>/onfido/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<OnfidoTenantSettings>;
}

/** Seven days: Onfido documents no retry schedule; a week covers any plausible one, and manual resends soon after. */
export const ONFIDO_DEFAULT_MAX_EVENT_AGE_SECONDS = 7 * 24 * 60 * 60;
/** As long as the default maximum event age: a delivery is remembered for as long as it is accepted. */
export const ONFIDO_DEFAULT_DEDUPLICATION_TTL_MS = ONFIDO_DEFAULT_MAX_EVENT_AGE_SECONDS * 1000;
/** How far ahead of now an event's time may be (clock skew), in seconds. */
export const ONFIDO_FUTURE_TOLERANCE_SECONDS = 300;
