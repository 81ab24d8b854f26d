import type { Type } from '@nestjs/common';

/**
 * Looks a tenant up: its settings (secrets first, as a list while rotating), or `null`/`undefined`
 * when there is no such tenant. May be async; a throw or a rejection answers the delivery 503.
 */
export type FaceWebhookTenantLookup<TSettings> = (
  tenant: string,
) => TSettings | null | undefined | Promise<TSettings | null | undefined>;

/** The same as an injectable class of the app (given as `resolve: MyTenantResolver`). */
export interface FaceWebhookTenantResolver<TSettings> {
  /** The tenant's settings, or `null`/`undefined` when there is no such tenant; a throw answers 503. */
  resolve(tenant: string): TSettings | null | undefined | Promise<TSettings | null | undefined>;
}

/**
 * Many tenants of one provider, each with its own secrets and settings, served at
 * `POST /<basePath>/<provider>/<tenant>`.
 */
export interface FaceWebhookTenantsOptions<TSettings> {
  /**
   * Where a tenant's settings come from: a function, or a class with a `resolve(tenant)` method
   * that is a provider of the app (taken from the app's container, or built by it).
   */
  readonly resolve: FaceWebhookTenantLookup<TSettings> | Type<FaceWebhookTenantResolver<TSettings>>;
  /** How long a tenant's settings (or that it does not exist) are kept before asking again, ms. Default 30 000. */
  readonly cacheTtlMs?: number;
  /** The most tenants kept at once; the least recently used leave first. Default 10 000. */
  readonly maxCachedTenants?: number;
  /**
   * A lookup that takes longer answers the delivery 503 (the provider retries), ms; its answer is
   * cached when it comes, so the retry finds it. Default 3 000.
   */
  readonly timeoutMs?: number;
}

/** A tenant id as it may appear in the route: letters, digits, `.`, `_`, `~`, `-`; 1 to 128 characters. */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

export const TENANT_DEFAULTS = { cacheTtlMs: 30_000, maxCachedTenants: 10_000, timeoutMs: 3_000 } as const;

/** The problems with a provider's `tenants` option, each naming the setting. */
export function checkTenantsOptions(key: string, tenants: FaceWebhookTenantsOptions<unknown>): string[] {
  const problems: string[] = [];
  if (typeof tenants !== 'object' || tenants === null || typeof tenants.resolve !== 'function') {
    return [`${key}.tenants.resolve must be a function or an injectable class with resolve(tenant)`];
  }
  for (const setting of ['cacheTtlMs', 'maxCachedTenants', 'timeoutMs'] as const) {
    const value = tenants[setting];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      problems.push(`${key}.tenants.${setting} must be a positive whole number`);
    }
  }
  return problems;
}
