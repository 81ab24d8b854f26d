import {
  Controller,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Post,
  Req,
  Res,
  SetMetadata,
  type Type,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FaceWebhookReceiver } from '../../pipeline/face-webhook.receiver.js';
import type { WebhookAck } from '../../pipeline/delivery.js';
import { findRawBody, notFoundMessage, toWebhookRequest } from '../raw-body/raw-body.js';
import { FACE_WEBHOOK_ROUTE_METADATA } from '../../contracts/face-webhooks.tokens.js';
import { FASTIFY_ROUTE_CONFIG_METADATA, WILDCARD_TENANT_ROUTE } from './wildcard-tenant-route.js';
import { setRetryAfter } from '../../contracts/retry-later.exception.js';

/**
 * Builds the controller serving `POST /<basePath>/:provider` (and `/:provider/:tenant`). It is made per module registration
 * because the base path is the module's option. The request object is taken whole (`@Req`), so an
 * app-wide ValidationPipe never touches webhook bodies.
 */
export function createFaceWebhooksController(basePath: string): Type<unknown> {
  // Version-neutral: under URI versioning the route stays where the provider was told it is.
  @Controller({ path: basePath, version: VERSION_NEUTRAL })
  @SetMetadata(FACE_WEBHOOK_ROUTE_METADATA, true)
  class FaceWebhooksController {
    constructor(
      @Inject(FaceWebhookReceiver) private readonly receiver: FaceWebhookReceiver,
      @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    ) {}

    @Post(':provider')
    @HttpCode(HttpStatus.OK)
    receive(@Req() request: object, @Res({ passthrough: true }) response: object): Promise<WebhookAck> {
      return this.answer(request, response, false);
    }

    /** Providers with `tenants`: the tenant's own settings authenticate the delivery. */
    @Post(':provider/:tenant')
    @SetMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { [WILDCARD_TENANT_ROUTE]: true })
    @HttpCode(HttpStatus.OK)
    receiveForTenant(
      @Req() request: object,
      @Res({ passthrough: true }) response: object,
    ): Promise<WebhookAck> {
      return this.answer(request, response, true);
    }

    private async answer(request: object, response: object, tenanted: boolean): Promise<WebhookAck> {
      const params = (request as { params?: Record<string, string> }).params;
      const provider = params?.provider ?? '';
      // Fastify serves the tenant as the route's wildcard (see `serveTenantAsWildcard`).
      const tenant = tenanted ? (params?.tenant ?? params?.['*'] ?? '') : undefined;
      try {
        // A path the raw-body reader did not recognise (no such provider): its bytes were not kept.
        const rawBody = findRawBody(request);
        const webhookRequest = toWebhookRequest(request, rawBody ?? Buffer.alloc(0));
        if (!rawBody) throw new NotFoundException(notFoundMessage('POST', webhookRequest.url));
        const ack = await this.receiver.receive(provider, webhookRequest, tenant);
        if (ack.queued) this.adapterHost.httpAdapter.status(response, HttpStatus.ACCEPTED);
        return ack;
      } catch (error) {
        setRetryAfter(this.adapterHost, response, error);
        throw error;
      }
    }
  }
  return FaceWebhooksController;
}
