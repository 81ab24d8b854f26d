import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';

/** What a Persona tenant's lookup returns. */
export interface PersonaTenantSettings {
  /** The tenant's webhook secret(s); a tenant never uses the provider's `secret`. */
  readonly secret: string | readonly string[];
  /** Replaces the provider's `toleranceSeconds` for this tenant. */
  readonly toleranceSeconds?: number;
}

/** Persona settings. Presence of the `persona` key enables the provider (unless `enabled: false`). */
export interface PersonaWebhookOptions extends CommonProviderOptions {
  /**
   * The webhook secret from Persona's dashboard (Webhooks; `wbhsec_...`), used as-is as the HMAC
   * key, or several while rotating: a signature valid under any of them passes.
   */
  readonly secret?: string | readonly string[];
  /**
   * Largest accepted |now - t| in seconds, checked in both directions. Persona documents no window;
   * the default is 300, as Stripe's and Standard Webhooks' libraries use for the same scheme.
   */
  readonly toleranceSeconds?: number;
  /** Many Persona organizations or webhooks, each with its own secret: `POST /<basePath>/persona/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<PersonaTenantSettings>;
}

export const PERSONA_DEFAULT_TOLERANCE_SECONDS = 300;
/**
 * Four days: longer than the longest retry schedule Persona has documented (8 attempts over about
 * three days; the current page says 5 attempts over about 6 minutes).
 */
export const PERSONA_DEFAULT_DEDUPLICATION_TTL_MS = 4 * 24 * 60 * 60 * 1000;
