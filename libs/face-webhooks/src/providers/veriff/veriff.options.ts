import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';

/** What a Veriff tenant's lookup returns. */
export interface VeriffTenantSettings {
  /** The tenant integration's shared secret key(s); a tenant never uses the provider's `secret`. */
  readonly secret: string | readonly string[];
  /** The tenant integration's API key(s), checked against `X-AUTH-CLIENT`; never the provider's. */
  readonly apiKey?: string | readonly string[];
  /** Replaces the provider's `maxEventAgeSeconds` for this tenant. */
  readonly maxEventAgeSeconds?: number;
}

/** Veriff settings. Presence of the `veriff` key enables the provider (unless `enabled: false`). */
export interface VeriffWebhookOptions extends CommonProviderOptions {
  /**
   * The integration's shared secret key (Veriff Customer Portal, Integrations, API keys), the HMAC
   * key of `X-HMAC-SIGNATURE`, or several while rotating: a signature valid under any of them passes.
   */
  readonly secret?: string | readonly string[];
  /**
   * The integration's API key (public key). When set, `X-AUTH-CLIENT` must carry it (or one of the
   * list), or the delivery is refused. Unset: the header is not checked.
   */
  readonly apiKey?: string | readonly string[];
  /**
   * A decision whose `verification.decisionTime` is older than this many seconds is refused (401),
   * so a captured delivery cannot be replayed once its de-duplication record is gone. Veriff retries
   * a failed delivery for up to 7 days: the default, 648 000 (7.5 days), accepts its last retry.
   * Must not exceed `deduplicationTtlMs`.
   */
  readonly maxEventAgeSeconds?: number;
  /** Many Veriff integrations, each with its own keys: `POST /<basePath>/veriff/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<VeriffTenantSettings>;
}

/** 7.5 days: Veriff retries about hourly for up to 7 days, plus half a day for a late first try. */
export const VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS = 7.5 * 24 * 60 * 60;
/** 8 days: longer than Veriff's whole retry schedule, and than the default maximum age. */
export const VERIFF_DEFAULT_DEDUPLICATION_TTL_MS = 8 * 24 * 60 * 60 * 1000;
/** How far ahead of this server's clock a `decisionTime` may be. */
export const VERIFF_CLOCK_TOLERANCE_SECONDS = 300;
