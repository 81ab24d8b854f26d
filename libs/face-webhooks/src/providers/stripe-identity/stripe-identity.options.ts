import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';

/** What a Stripe Identity tenant's lookup returns (a connected account, a Stripe account per customer). */
export interface StripeIdentityTenantSettings {
  /** The tenant's endpoint signing secret(s), `whsec_...`; a tenant never uses the provider's `secret`. */
  readonly secret: string | readonly string[];
  /** Replaces the provider's `toleranceSeconds` for this tenant. */
  readonly toleranceSeconds?: number;
}

interface StripeIdentitySettings extends CommonProviderOptions {
  /**
   * The webhook endpoint's signing secret (`whsec_...`, Dashboard > Developers > Webhooks > your
   * endpoint > Signing secret), or several (while rotating, or moving to another endpoint): any match passes.
   */
  readonly secret?: string | readonly string[];
  /**
   * Largest accepted difference between the signature's `t` and now, in seconds, in both
   * directions (stripe-node checks only the past). Default 300, as stripe-node.
   */
  readonly toleranceSeconds?: number;
  /** Many Stripe accounts, each with its own endpoint secret: `POST /<basePath>/stripe-identity/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<StripeIdentityTenantSettings>;
}

/**
 * Stripe Identity settings. Presence of the `'stripe-identity'` key enables the provider (unless
 * `enabled: false`). It needs a `secret`, or `tenants` (or both: then both routes are served).
 */
export type StripeIdentityWebhookOptions = StripeIdentitySettings &
  (
    | {
        /** The endpoint's signing secret(s), `whsec_...`, for the single-account route. */
        readonly secret: string | readonly string[];
      }
    | {
        /** Per-tenant signing secrets, looked up by the tenant segment of the route. */
        readonly tenants: FaceWebhookTenantsOptions<StripeIdentityTenantSettings>;
      }
  );

/** stripe-node's `Webhook.DEFAULT_TOLERANCE`. */
export const STRIPE_IDENTITY_DEFAULT_TOLERANCE_SECONDS = 300;
/** Longer than Stripe's retries (up to three days in live mode), with a day to spare. */
export const STRIPE_IDENTITY_DEFAULT_DEDUPLICATION_TTL_MS = 4 * 24 * 60 * 60 * 1000;
