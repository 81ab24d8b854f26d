import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';
import type { FaceSignMediaDownloadOptions } from './facesign-media.service.js';

/** What a FaceSign tenant's lookup returns. */
export interface FaceSignTenantSettings {
  /** The tenant's signing secret(s); a tenant never uses the provider's `secret`. */
  readonly secret: string | readonly string[];
  /** Replaces the provider's `toleranceSeconds` for this tenant. */
  readonly toleranceSeconds?: number;
}

/** FaceSign settings. Presence of the `facesign` key enables the provider (unless `enabled: false`). */
export interface FaceSignWebhookOptions extends CommonProviderOptions {
  /** The webhook signing secret (`whsec_...`), or several while rotating: any match passes. */
  readonly secret?: string | readonly string[];
  /** Largest accepted |now - t| in seconds, checked in both directions. Default 300. */
  readonly toleranceSeconds?: number;
  /**
   * Accept deliveries that carry no signature at all, as FaceSign's dev environment sends them.
   * A delivery that does carry a signature must still verify. Refused at startup when
   * `NODE_ENV=production`. Default `false`.
   */
  readonly allowUnsigned?: boolean;
  /** Defaults for {@link FaceSignMediaService.download}. */
  readonly media?: FaceSignMediaDownloadOptions;
  /**
   * Many FaceSign accounts, each with its own secret: `POST /<basePath>/facesign/<tenant>`. Tenants
   * are always signed (`allowUnsigned` applies to the route without a tenant only).
   */
  readonly tenants?: FaceWebhookTenantsOptions<FaceSignTenantSettings>;
}

export const FACESIGN_DEFAULT_TOLERANCE_SECONDS = 300;
/** Longer than FaceSign's ~1 h 13 min of retries. */
export const FACESIGN_DEFAULT_DEDUPLICATION_TTL_MS = 24 * 60 * 60 * 1000;
