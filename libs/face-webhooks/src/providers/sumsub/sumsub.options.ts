import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';

/** What a Sumsub tenant's lookup returns; settings it leaves out come from the provider's options. */
export interface SumsubTenantSettings {
  /** The tenant's webhook secret key(s); a tenant never uses the provider's `secret`. */
  readonly secret: string | readonly string[];
  /** Replaces the provider's `allowSha1` for this tenant. */
  readonly allowSha1?: boolean;
  /** Replaces the provider's `maxEventAgeSeconds` for this tenant. */
  readonly maxEventAgeSeconds?: number;
}

/** Sumsub settings. Presence of the `sumsub` key enables the provider (unless `enabled: false`). */
export interface SumsubWebhookOptions extends CommonProviderOptions {
  /**
   * The webhook's secret key from the Sumsub dashboard (Dev space, Webhooks, Webhook manager), used
   * as-is (its UTF-8 bytes) as the HMAC key, or several while rotating: a digest valid under any of
   * them passes.
   */
  readonly secret?: string | readonly string[];
  /**
   * Accept `X-Payload-Digest-Alg: HMAC_SHA1_HEX`, the legacy algorithm. Default `false`: only
   * `HMAC_SHA256_HEX` (Sumsub's default) and `HMAC_SHA512_HEX` are accepted. HMAC-SHA1 is not
   * broken as a MAC, but the algorithm header is the sender's, unsigned: the algorithms a
   * delivery may use are the app's choice, so that no request can pick a weaker one.
   */
  readonly allowSha1?: boolean;
  /**
   * Sumsub signs no time. A delivery whose `createdAtMs` is older than this many seconds is refused
   * (401), so a captured delivery cannot be replayed once its de-duplication record is gone.
   * Default 172800 (48 hours: Sumsub's retries end about 24 hours after the first attempt). Must
   * leave room inside `deduplicationTtlMs` (it may not exceed it less 5 minutes).
   */
  readonly maxEventAgeSeconds?: number;
  /** Many Sumsub accounts or webhooks, each with its own secret key: `POST /<basePath>/sumsub/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<SumsubTenantSettings>;
}

/** 48 hours: Sumsub resends a failed webhook after 5 min, 1 h, 5 h and 18 h, about 24 h in all. */
export const SUMSUB_DEFAULT_MAX_EVENT_AGE_SECONDS = 48 * 60 * 60;
/** Four days: longer than the retry schedule and than the default maximum event age. */
export const SUMSUB_DEFAULT_DEDUPLICATION_TTL_MS = 4 * 24 * 60 * 60 * 1000;
/** How far ahead of now a `createdAtMs` may be (clock difference), in seconds. */
export const SUMSUB_FUTURE_TOLERANCE_SECONDS = 300;
