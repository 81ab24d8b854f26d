import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';

/** What a FACEIO tenant's lookup returns: its token(s) and, optionally, its application ids. */
export interface FaceioTenantSettings {
  /** The tenant's webhook token(s); a tenant never uses the provider's `token`. */
  readonly token: string | readonly string[];
  /** Replaces the provider's `appId` for this tenant. */
  readonly appId?: string | readonly string[];
}

interface FaceioSettings extends CommonProviderOptions {
  /**
   * The application's webhook token from the FACEIO Console, or several while rotating: a request
   * passes when it carries any of them.
   */
  readonly token?: string | readonly string[];
  /** When set, only deliveries whose body `appId` is one of these are accepted (others: 401). */
  readonly appId?: string | readonly string[];
  /** Many FACEIO applications, each with its own token: `POST /<basePath>/faceio/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<FaceioTenantSettings>;
}

/**
 * FACEIO settings. Presence of the `faceio` key enables the provider (unless `enabled: false`).
 * It needs a `token`, or `tenants` (or both: then both routes are served).
 */
export type FaceioWebhookOptions = FaceioSettings &
  (
    | {
        /** The application's webhook token(s), for the single-application route. */
        readonly token: string | readonly string[];
      }
    | {
        /** Per-application tokens, looked up by the tenant segment of the route. */
        readonly tenants: FaceWebhookTenantsOptions<FaceioTenantSettings>;
      }
  );

/**
 * How long an identical body counts as a duplicate: FACEIO sends no event id, and a second AUTH of
 * the same user on the same day has the same body, so it is short.
 */
export const FACEIO_DEFAULT_DEDUPLICATION_TTL_MS = 60_000;
