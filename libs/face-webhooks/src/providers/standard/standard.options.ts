import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';
import type { StandardEventDataClass } from './standard-event.dto.js';

/** What a Standard Webhooks tenant's lookup returns: its own keys (at least one), its tolerance. */
export interface StandardTenantSettings {
  /** The tenant's `whsec_` signing secret(s); a tenant never uses the provider's `secret`. */
  readonly secret?: string | readonly string[];
  /** The tenant's `whpk_` public key(s); a tenant never uses the provider's `publicKey`. */
  readonly publicKey?: string | readonly string[];
  /** Replaces the provider's `toleranceSeconds` for this tenant. */
  readonly toleranceSeconds?: number;
}

/**
 * Standard Webhooks settings (Svix, and every sender that follows the spec). Presence of the
 * `standard` key enables the provider (unless `enabled: false`). Give a `secret`, a `publicKey`,
 * or both: a delivery passes when any one of its signatures verifies under any of them.
 */
export interface StandardWebhookOptions extends CommonProviderOptions {
  /**
   * The endpoint's signing secret for `v1` (HMAC-SHA256) signatures, `whsec_<base64>` as the
   * sender shows it (the prefix may be left out), or several while rotating.
   */
  readonly secret?: string | readonly string[];
  /**
   * The sender's Ed25519 public key for `v1a` signatures, `whpk_<base64 of 32 bytes>`, or several
   * while rotating. Never the `whsk_` secret key.
   */
  readonly publicKey?: string | readonly string[];
  /** Largest accepted |now - webhook-timestamp| in seconds, checked in both directions. Default 300. */
  readonly toleranceSeconds?: number;
  /**
   * The event types the app handles, each with the class of its `data` (a class-validator DTO):
   * `{ 'invoice.paid': InvoicePaidData }`. Their `data` is validated against that class (400
   * naming `data.<field>`), and they reach `@OnFaceEvent('standard.invoice.paid')` handlers. Any
   * other type is accepted too, with `data` only checked to be an object, and reaches wildcard
   * handlers (`'standard.**'`, `'**'`) only. Declare each in the event map as
   * `'standard.invoice.paid': StandardWebhookPayload<InvoicePaidData>`.
   */
  readonly events?: Readonly<Record<string, StandardEventDataClass>>;
  /** Many senders or accounts, each with its own keys: `POST /<basePath>/standard/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<StandardTenantSettings>;
}

export const STANDARD_DEFAULT_TOLERANCE_SECONDS = 300;
/**
 * Four days: longer than the spec's example retry schedule (about 75.5 hours over ten attempts),
 * during which each retry carries the same `webhook-id` with a fresh timestamp and signature.
 */
export const STANDARD_DEFAULT_DEDUPLICATION_TTL_MS = 4 * 24 * 60 * 60 * 1000;
