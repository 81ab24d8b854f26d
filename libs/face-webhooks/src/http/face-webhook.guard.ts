import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { FaceWebhookProviderRegistry } from '../pipeline/face-webhook-provider.registry.js';
import { findRawBody, toWebhookRequest } from './raw-body/raw-body.js';

/**
 * Authenticates a request as a delivery from one provider, and nothing more, for use on an
 * application's own controllers (`@UseGuards(FaceioWebhookGuard)`). For the whole pipeline on a
 * route of your own (exact bytes, validation, de-duplication, handlers), use `@FaceWebhookRoute()`.
 *
 * Providers that sign the body need its exact bytes: with this guard alone, create the app with
 * `rawBody: true`. Without them the guard refuses the request and logs why.
 */
@Injectable()
export abstract class FaceWebhookGuard implements CanActivate {
  /** The provider this guard authenticates for, as named in the module's options (`'faceio'`, `'persona'`, ...). */
  protected abstract readonly providerName: string;
  /** Where `deny()` logs why a request was refused (context `FaceWebhooks`). */
  protected readonly logger = new Logger('FaceWebhooks');

  /** @param registry - The module's enabled providers, injected; the guard looks its provider up in it. */
  constructor(protected readonly registry: FaceWebhookProviderRegistry) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<object>();
    const provider = this.registry.get(this.providerName);
    if (!provider) return this.deny(`${this.providerName} is not enabled in FaceWebhooksModule`);
    const rawBody = findRawBody(request);
    const result = provider.authenticate(toWebhookRequest(request, rawBody ?? Buffer.alloc(0)));
    if (result.ok) return true;
    const hint = rawBody ? '' : ' (the raw body was not available: create the app with rawBody: true)';
    return this.deny(`${result.reason}${hint}`);
  }

  /** Refuses the request; override to change what is logged or thrown. */
  protected deny(reason: string): never {
    this.logger.warn(`Rejected ${this.providerName} request: ${reason}`);
    throw new UnauthorizedException();
  }
}
