import type { FaceWebhookProviderDefinition } from '../contracts/face-webhook-provider.interface.js';
import type { FaceWebhookTenantsOptions } from '../contracts/face-webhook-tenants.options.js';
import type { FaceWebhookProvider } from '../contracts/face-webhook-provider.interface.js';

/** Injection token of the providers that have tenants ({@link TenantSource}[]). */
export const FACE_WEBHOOK_TENANT_SOURCES = Symbol('FACE_WEBHOOK_TENANT_SOURCES');

/** A provider with tenants, as the module's options describe it (checked at startup). */
export interface TenantSource {
  readonly provider: string;
  readonly definition: FaceWebhookProviderDefinition<string, object, object>;
  /** The provider's options: the settings a tenant leaves out come from here (never its secrets). */
  readonly options: object;
  readonly tenants: Required<Omit<FaceWebhookTenantsOptions<object>, 'resolve'>> &
    Pick<FaceWebhookTenantsOptions<object>, 'resolve'>;
  /** What each tenant's provider goes through first (the provider's `allowedSourceIps`), if anything. */
  readonly wrap?: (provider: FaceWebhookProvider) => FaceWebhookProvider;
}

/** The provider's options with the settings a tenant must bring itself (secrets), and `tenants`, removed. */
export function withoutTenantOnlySettings(
  definition: FaceWebhookProviderDefinition<string, object, object>,
  options: object,
): object {
  const shared: Record<string, unknown> = { ...options };
  for (const setting of [...(definition.tenantOnlySettings ?? []), 'tenants']) delete shared[setting];
  return shared;
}
