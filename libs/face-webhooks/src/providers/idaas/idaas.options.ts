import type { CommonProviderOptions } from '../../contracts/provider-options.interface.js';
import type { FaceWebhookTenantsOptions } from '../../contracts/face-webhook-tenants.options.js';

/** What an IDaaS tenant's lookup returns; settings it leaves out come from the provider's options. */
export interface IdaasTenantSettings {
  /** The tenant's webhook secret(s); a tenant never uses the provider's `secret`. */
  readonly secret: string | readonly string[];
  /** Replaces the provider's `toleranceSeconds` for this tenant. */
  readonly toleranceSeconds?: number;
  /** Replaces the provider's `maxEventAgeSeconds` for this tenant. */
  readonly maxEventAgeSeconds?: number;
  /** Replaces the provider's `publicBaseUrl` for this tenant. */
  readonly publicBaseUrl?: string;
  /** Replaces the provider's `acceptLegacySignature` for this tenant. */
  readonly acceptLegacySignature?: boolean;
}

interface IdaasSettings extends CommonProviderOptions {
  /** The webhook's secret token from the IDaaS admin portal, or several while rotating. */
  readonly secret?: string | readonly string[];
  /**
   * Allowed clock difference for the signature's `created` (and for an `eventTime` ahead of now),
   * in seconds. Default 300.
   */
  readonly toleranceSeconds?: number;
  /**
   * When the signature carries no `created` (or the legacy `x-sha2-signature` is used), a delivery
   * whose `eventTime` is older than this many seconds is refused (401), so a captured delivery
   * cannot be replayed once its de-duplication record is gone. Default 3600 (IDaaS retries within
   * seconds).
   */
  readonly maxEventAgeSeconds?: number;
  /**
   * The public URL prefix IDaaS posts to, when a proxy stands in front of the app: scheme, host and
   * any path prefix the proxy strips (`https://api.example.com` or `https://example.com/backend`).
   * The signed `@target-uri` is this plus the path the app received.
   */
  readonly publicBaseUrl?: string;
  /** Rebuild `@target-uri` from `X-Forwarded-Proto` and `X-Forwarded-Host`; only behind a proxy that sets them. */
  readonly trustForwardedHeaders?: boolean;
  /** Accept the legacy `x-sha2-signature` (hex HMAC-SHA256 of the body) of older tenants. Default `false`. */
  readonly acceptLegacySignature?: boolean;
  /** Many IDaaS tenants, each with its own secret: `POST /<basePath>/idaas/<tenant>`. */
  readonly tenants?: FaceWebhookTenantsOptions<IdaasTenantSettings>;
}

/**
 * Entrust IDaaS settings. Presence of the `idaas` key enables the provider (unless `enabled: false`).
 * It needs a `secret`, or `tenants` (or both: then both routes are served).
 */
export type IdaasWebhookOptions = IdaasSettings &
  (
    | {
        /** The webhook's secret token(s), for the single-tenant route. */
        readonly secret: string | readonly string[];
      }
    | {
        /** Per-tenant secrets, looked up by the tenant segment of the route. */
        readonly tenants: FaceWebhookTenantsOptions<IdaasTenantSettings>;
      }
  );

export const IDAAS_DEFAULT_TOLERANCE_SECONDS = 300;
export const IDAAS_DEFAULT_MAX_EVENT_AGE_SECONDS = 3600;
export const IDAAS_DEFAULT_DEDUPLICATION_TTL_MS = 24 * 60 * 60 * 1000;
