import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { HttpAdapterHost } from '@nestjs/core';
import { FaceWebhookProviderRegistry } from '../../pipeline/face-webhook-provider.registry.js';
import { DeliveryAuthenticator } from '../../pipeline/delivery-authenticator.js';
import { FaceWebhookRefusedException } from '../../contracts/face-webhook-refused.exception.js';
import { findRawBody, toWebhookRequest } from '../raw-body/raw-body.js';
import { type DeliveryTrace, FaceWebhooksTelemetry } from '../../observability/face-webhooks.telemetry.js';
import { TENANT_PATTERN } from '../../contracts/face-webhook-tenants.options.js';
import { attachDelivery } from './app-route-delivery.js';
import { faceWebhookAppRouteOf } from './face-webhook-app-route.js';
import { setRetryAfter } from '../../contracts/retry-later.exception.js';

/** The 400 of a request whose exact body bytes were not kept (Nest's parser read them first). */
const UNREAD_BODY = 'Request body could not be read as sent';

/**
 * The guard `@FaceWebhookRoute()` puts on a route: authenticates the request with the route's
 * provider (or its tenant's settings) over the exact bytes the library read, and starts the
 * delivery's trace. Refusals are the module route's: 401, or the unknown tenant's 404; a request
 * whose bytes were not kept, 400.
 */
@Injectable()
export class FaceWebhookRouteGuard implements CanActivate {
  private readonly logger = new Logger('FaceWebhooks');

  constructor(
    private readonly registry: FaceWebhookProviderRegistry,
    private readonly authenticator: DeliveryAuthenticator,
    private readonly telemetry: FaceWebhooksTelemetry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = faceWebhookAppRouteOf(context.getHandler());
    const provider = route && this.registry.get(route.provider);
    // Checked when the app starts (AppWebhookRoutes); this is the fail-closed backstop.
    if (!route || !provider) throw new Error('FaceWebhookRouteGuard is applied by @FaceWebhookRoute() only');
    const http = context.switchToHttp();
    const request = http.getRequest<object>();
    const trace = this.telemetry.startDelivery(provider.name);
    try {
      const rawBody = findRawBody(request);
      if (!rawBody) {
        // The bytes are gone (something parsed the body first), so nothing can be authenticated:
        // refused, never a 5xx, since anyone can send such a request (logged, not alerted on).
        this.logger.warn(
          `Refused a ${provider.name} request to ${context.getClass().name}.${context.getHandler().name}: ` +
            'its body was not read as bytes, so it cannot be authenticated',
        );
        throw new BadRequestException(UNREAD_BODY);
      }
      const webhookRequest = toWebhookRequest(request, rawBody);
      let tenant: string | undefined;
      if (route.tenantParam !== undefined) {
        tenant =
          (request as { params?: Record<string, string | undefined> }).params?.[route.tenantParam] ?? '';
        trace.details.tenant = tenant;
        if (!TENANT_PATTERN.test(tenant)) {
          this.logger.warn(`Rejected ${provider.name} delivery for malformed tenant id`);
          throw new FaceWebhookRefusedException('unknown_tenant', webhookRequest.url);
        }
      }
      const authenticated = await this.authenticator.authenticate(provider, webhookRequest, tenant);
      attachDelivery(request, { authenticated, trace });
      endWithResponse(http.getResponse<object>(), trace);
      return true;
    } catch (error) {
      setRetryAfter(this.adapterHost, http.getResponse<object>(), error);
      trace.fail(error);
      throw error;
    }
  }
}

/**
 * The interceptor ends the trace with what the route did. If something stops the request between
 * this guard and it (another guard of the route saying no), the trace ends with the response's
 * status instead, so every delivery is counted once.
 */
function endWithResponse(response: object, trace: DeliveryTrace): void {
  const raw = ((response as { raw?: ServerResponse }).raw ?? response) as ServerResponse;
  raw.once('close', () => {
    if (raw.statusCode < 400) trace.succeed({});
    else trace.fail(new HttpException('', raw.statusCode));
  });
}
