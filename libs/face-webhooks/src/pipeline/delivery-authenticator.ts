import { Injectable, Logger } from '@nestjs/common';
import { FaceWebhookRefusedException } from '../contracts/face-webhook-refused.exception.js';
import { RetryLaterException } from '../contracts/retry-later.exception.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookRequest,
} from '../contracts/face-webhook-provider.interface.js';
import { FaceWebhookTenants, TenantUnavailableError } from '../tenants/face-webhook-tenants.js';
import type { AuthenticatedDelivery } from './delivery.js';

/**
 * Stage one of a delivery: its credentials, checked over the raw request by the provider (or, for
 * a tenant, by the provider built with that tenant's settings). Nothing is parsed before this passes.
 */
@Injectable()
export class DeliveryAuthenticator {
  private readonly logger = new Logger('FaceWebhooks');

  constructor(private readonly tenants: FaceWebhookTenants) {}

  /**
   * Authenticates `request` for `provider`, or for its `tenant`. A refusal is logged with its
   * reason and thrown: 401, or on a tenant route the same 404 as an unknown tenant, so a sender
   * without the tenant's secret learns nothing about which tenants exist (logs, spans and metrics
   * tell the two apart). A tenant lookup that fails or times out is a 503.
   */
  authenticate(
    provider: FaceWebhookProvider,
    request: WebhookRequest,
    tenant?: string,
  ): AuthenticatedDelivery | Promise<AuthenticatedDelivery> {
    // Without a tenant nothing waits: no promise is made (it cost about 300 bytes per delivery).
    if (tenant === undefined) {
      return {
        provider,
        request,
        authenticated: this.check(provider, provider.authenticate(request), request, undefined),
      };
    }
    return this.authenticateTenant(provider, request, tenant);
  }

  private async authenticateTenant(
    provider: FaceWebhookProvider,
    request: WebhookRequest,
    tenant: string,
  ): Promise<AuthenticatedDelivery> {
    const account = await this.providerOfTenant(provider, tenant, request);
    const authenticated = this.check(account, account.authenticate(request), request, tenant);
    return { provider: account, request, authenticated, tenant };
  }

  /**
   * Turns a provider's verdict into an authenticated result or the refusal to throw: used for
   * `authenticate` here and for `authorize` (the checks that need the body) in the parse stage.
   */
  check(
    provider: FaceWebhookProvider,
    result: WebhookAuthResult,
    request: WebhookRequest,
    tenant: string | undefined,
  ): WebhookAuthSuccess {
    if (result.ok) {
      const { eventId } = result;
      // An id from the headers becomes the de-duplication key: an empty or huge one would make
      // distinct events one (or bloat the store), so it fails closed.
      if (
        eventId === undefined ||
        (typeof eventId === 'string' && eventId.length > 0 && eventId.length <= 256)
      ) {
        return result;
      }
      result = {
        ok: false,
        reason: 'the event id in the headers is empty or too long',
        code: 'malformed_credentials',
      };
    }
    if (tenant === undefined) {
      this.logger.warn(`Rejected ${provider.name} delivery: ${result.reason}`);
      throw new FaceWebhookRefusedException(result.code);
    }
    this.logger.warn(`Rejected ${provider.name} delivery for tenant ${tenant}: ${result.reason}`);
    throw new FaceWebhookRefusedException(result.code, request.url);
  }

  private async providerOfTenant(
    provider: FaceWebhookProvider,
    tenant: string,
    request: WebhookRequest,
  ): Promise<FaceWebhookProvider> {
    let tenantProvider: FaceWebhookProvider | null;
    try {
      tenantProvider = await this.tenants.tenantProvider(provider.name, tenant);
    } catch (error) {
      if (!(error instanceof TenantUnavailableError)) throw error;
      throw new RetryLaterException('Tenant settings could not be read; retry later');
    }
    if (!tenantProvider) {
      this.tenants.reportUnknown(provider.name, tenant);
      throw new FaceWebhookRefusedException('unknown_tenant', request.url);
    }
    return tenantProvider;
  }
}
