import { jest } from '@jest/globals';
import { BadRequestException, type ExecutionContext, Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { DeliveryAuthenticator } from '../../pipeline/delivery-authenticator.js';
import type { FaceWebhookProviderRegistry } from '../../pipeline/face-webhook-provider.registry.js';
import type { FaceWebhooksTelemetry } from '../../observability/face-webhooks.telemetry.js';
import { FACE_WEBHOOK_APP_ROUTE_METADATA } from './face-webhook-app-route.js';
import { FaceWebhookRouteGuard } from './face-webhook-route.guard.js';

describe('FaceWebhookRouteGuard', () => {
  it('refuses a request whose body bytes were not kept with 400, without authenticating it', async () => {
    const authenticate = jest.fn();
    const fail = jest.fn();
    const guard = new FaceWebhookRouteGuard(
      { get: () => ({ name: 'faceio' }) } as unknown as FaceWebhookProviderRegistry,
      { authenticate } as unknown as DeliveryAuthenticator,
      { startDelivery: () => ({ details: {}, fail }) } as unknown as FaceWebhooksTelemetry,
      { httpAdapter: { setHeader: jest.fn() } } as unknown as HttpAdapterHost,
    );
    class HooksController {
      receive(): void {}
    }
    Reflect.defineMetadata(
      FACE_WEBHOOK_APP_ROUTE_METADATA,
      { provider: 'faceio' },
      HooksController.prototype.receive,
    );
    // What Nest's JSON parser leaves: the body parsed, its bytes gone.
    const request = { method: 'POST', url: '/hooks', headers: {}, body: { eventName: 'ENROLL' } };
    const context = {
      getHandler: () => HooksController.prototype.receive,
      getClass: () => HooksController,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
    } as unknown as ExecutionContext;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const refused = await guard.canActivate(context).catch((thrown: unknown) => thrown);

    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as BadRequestException).getStatus()).toBe(400);
    expect(authenticate).not.toHaveBeenCalled();
    expect(fail).toHaveBeenCalledWith(refused);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('HooksController.receive'));
    expect(error).not.toHaveBeenCalled();
    warn.mockRestore();
    error.mockRestore();
  });
});
