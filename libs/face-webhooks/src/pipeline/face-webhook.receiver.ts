import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  Optional,
} from '@nestjs/common';
import { FaceWebhooksTelemetry, type DeliveryDetails } from '../observability/face-webhooks.telemetry.js';
import { FaceWebhookRefusedException } from '../contracts/face-webhook-refused.exception.js';
import { InFlightDeliveries } from './in-flight-deliveries.js';
import { FaceEventDispatcher } from './handlers/face-event-dispatcher.js';
import { buildFaceEvent, deduplicationKey } from './face-event.factory.js';
import type { FaceEvent } from '../contracts/face-event.interface.js';
import { FaceEventQueue } from '../contracts/face-event-queue.interface.js';
import { FaceWebhookProviderRegistry } from './face-webhook-provider.registry.js';
import { FACE_WEBHOOKS_SETTINGS, type FaceWebhooksSettings } from '../contracts/face-webhooks.tokens.js';
import { findRawBody, notFoundMessage, toWebhookRequest } from '../http/raw-body/raw-body.js';
import {
  FaceWebhookIdempotencyStore,
  IdempotencyStoreFullError,
  type IdempotencyClaim,
} from './deduplication/idempotency-store.js';
import { RetryLaterException } from '../contracts/retry-later.exception.js';
import { FaceWebhookTenants, TenantUnavailableError } from '../tenants/face-webhook-tenants.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookRequest,
} from '../contracts/face-webhook-provider.interface.js';

/** The response body of an accepted delivery. */
export interface WebhookAck {
  readonly received: true;
  /** Present when this delivery repeated an event that was already handled or queued. */
  readonly duplicate?: true;
  /** Present when the event was queued for a worker rather than handled before the response. */
  readonly queued?: true;
}

/**
 * One delivery, start to finish: authenticate the raw request, parse and validate the body, claim
 * the event id, then run the handlers (inline) or write the event to the queue (queued), and only
 * then acknowledge. Every failure a sender can cause is a 4xx; a 5xx means the provider should retry.
 */
@Injectable()
export class FaceWebhookReceiver implements BeforeApplicationShutdown {
  private readonly logger = new Logger('FaceWebhooks');
  private readonly inFlight = new InFlightDeliveries();
  private lastStoreFullLog = 0;

  constructor(
    private readonly registry: FaceWebhookProviderRegistry,
    private readonly dispatcher: FaceEventDispatcher,
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
    @Inject(FACE_WEBHOOKS_SETTINGS) private readonly settings: FaceWebhooksSettings,
    private readonly telemetry: FaceWebhooksTelemetry,
    private readonly tenants: FaceWebhookTenants,
    @Optional() @Inject(FaceEventQueue) private readonly queue?: FaceEventQueue,
  ) {}

  /**
   * `tenant`: the route's tenant segment, for `POST /<basePath>/<provider>/<tenant>`. An unknown
   * tenant and a delivery that fails the tenant's authentication get the same 404, so a sender
   * without the tenant's secret learns nothing about which tenants exist; logs, spans and metrics
   * tell the two apart (`unknown_tenant` or the authentication's own reason).
   */
  async receive(providerName: string, request: object, tenant?: string): Promise<WebhookAck> {
    const provider = this.registry.get(providerName);
    const rawBody = findRawBody(request);
    // A provider that is not enabled has no route; neither has a path the raw-body reader did not
    // recognise, since its bytes were not kept. Not counted: the name is the sender's to choose.
    const webhookRequest = toWebhookRequest(request, rawBody ?? Buffer.alloc(0));
    const served = tenant === undefined ? this.settings.singleRoutes : this.settings.tenantRoutes;
    if (!provider || !rawBody || !served.includes(provider.name)) {
      throw new NotFoundException(notFoundMessage('POST', webhookRequest.url));
    }
    return this.telemetry.traceDelivery(provider.name, async (details) => {
      details.tenant = tenant;
      const account =
        tenant === undefined ? provider : await this.providerOfTenant(provider, tenant, webhookRequest.url);
      const authenticated = this.authenticate(account, webhookRequest, tenant);
      const { event, freshUntilMs } = this.toEvent(account, webhookRequest, authenticated, details);
      return this.settleEvent(event, account, freshUntilMs);
    });
  }

  /**
   * The provider with a tenant's own settings. An unknown tenant is refused as a path no route
   * serves (`url`: the request's), like a failed authentication on a tenant route; a lookup that
   * fails or times out is a 503.
   */
  async providerOfTenant(
    provider: FaceWebhookProvider,
    tenant: string,
    url: string,
  ): Promise<FaceWebhookProvider> {
    let tenantProvider: FaceWebhookProvider | null;
    try {
      tenantProvider = await this.tenants.providerOf(provider.name, tenant);
    } catch (error) {
      if (!(error instanceof TenantUnavailableError)) throw error;
      throw new RetryLaterException('Tenant settings could not be read; retry later');
    }
    if (!tenantProvider) {
      this.logger.warn(`Rejected ${provider.name} delivery for unknown tenant ${tenant}`);
      throw new FaceWebhookRefusedException('unknown_tenant', url);
    }
    return tenantProvider;
  }

  /** Checks the delivery's credentials; a refusal is logged with its reason and thrown (401, or 404 for a tenant). */
  authenticate(
    provider: FaceWebhookProvider,
    request: WebhookRequest,
    tenant: string | undefined,
  ): WebhookAuthSuccess {
    return this.check(provider, provider.authenticate(request), request, tenant);
  }

  /**
   * Parses and validates an authenticated delivery's body into its event (400 naming the field
   * when invalid), then runs the provider's checks that need the body. `freshUntilMs`: until when
   * this exact request would authenticate again (see `settle`).
   */
  toEvent(
    provider: FaceWebhookProvider,
    request: WebhookRequest,
    authenticated: WebhookAuthSuccess,
    details: DeliveryDetails,
  ): { event: FaceEvent; freshUntilMs: number } {
    const { tenant } = details;
    const event = (details.event = buildFaceEvent(provider, request.rawBody, new Date(), tenant));
    if (provider.authorize) {
      const authorized = provider.authorize(event.data as object, authenticated);
      authenticated = this.check(provider, authorized, request, tenant);
    }
    if (!provider.knownTypes.has(event.type.slice(provider.name.length + 1))) {
      this.logger.warn(
        `Unknown event type ${event.type} (${event.id}) accepted; only wildcard handlers receive it`,
      );
    }
    return { event, freshUntilMs: authenticated.freshUntilMs ?? 0 };
  }

  /**
   * Runs a stored delivery again (the console's Replay): its body was verified when it arrived, so
   * it is parsed and settled like a new delivery, through de-duplication and the records of
   * finished handlers: if the provider's own retry already handled it, this is a duplicate.
   */
  async replay(providerName: string, rawBody: Buffer, tenant?: string): Promise<WebhookAck> {
    const provider = this.registry.get(providerName);
    if (!provider) throw new NotFoundException(`Provider ${providerName} is not enabled`);
    return this.telemetry.traceDelivery(provider.name, (details) => {
      details.tenant = tenant;
      const event = (details.event = buildFaceEvent(provider, rawBody, new Date(), tenant));
      return this.settleEvent(event, provider, 0);
    });
  }

  /** Stops acknowledging new deliveries and waits (up to `shutdownTimeoutMs`) for those in flight. */
  beforeApplicationShutdown(): Promise<void> {
    return this.inFlight.drain(this.settings.shutdownTimeoutMs, this.logger);
  }

  /** On a tenant route a refusal is the unknown tenant's 404 (see `receive`). */
  private check(
    provider: FaceWebhookProvider,
    result: WebhookAuthResult,
    request: WebhookRequest,
    tenant: string | undefined,
  ): WebhookAuthSuccess {
    if (result.ok) return result;
    if (tenant === undefined) {
      this.logger.warn(`Rejected ${provider.name} delivery: ${result.reason}`);
      throw new FaceWebhookRefusedException(result.code);
    }
    this.logger.warn(`Rejected ${provider.name} delivery for tenant ${tenant}: ${result.reason}`);
    throw new FaceWebhookRefusedException(result.code, request.url);
  }

  /**
   * De-duplicates an authenticated, validated event, then runs its handlers (inline) or queues it,
   * and says what to answer; failures are 503 (retry later) or 500 (a handler failed), and 503 once
   * shutdown has begun. `freshUntilMs`: until when this delivery would authenticate again. Its
   * record is remembered at least that long, so a replay is either refused as stale or found as a
   * duplicate.
   */
  async settleEvent(
    event: FaceEvent,
    provider: FaceWebhookProvider,
    freshUntilMs: number,
  ): Promise<WebhookAck> {
    // Counted here, around the whole body, not by an async wrapper around another method: the
    // wrapper's extra promise cost 430 bytes per delivery (bench/receive.mjs).
    this.inFlight.begin();
    try {
      const key = deduplicationKey(event);
      const ttlMs = Math.max(provider.deduplicationTtlMs, freshUntilMs - Date.now() + 1_000);
      let claim: IdempotencyClaim;
      try {
        claim = await this.store.claim(key, Math.min(ttlMs, this.settings.inFlightTtlMs), freshUntilMs);
      } catch (error) {
        if (error instanceof IdempotencyStoreFullError) throw this.storeFull(error);
        throw this.storeUnavailable(event, error);
      }
      if (claim === 'done') return { received: true, duplicate: true };
      if (claim === 'in-flight') {
        // Another copy is being handled now. Not acknowledging this one means that, if that copy
        // fails, the provider's retry still gets the event handled.
        throw new RetryLaterException('The same event is being handled; retry later');
      }

      const queued = this.settings.deliveryModes[provider.name] === 'queued';
      try {
        if (queued) await this.enqueue(event);
        else await this.handleInline(event, key, claim === 'resumed', ttlMs);
      } catch (error) {
        await this.store.release(key).catch((releaseError: unknown) => {
          this.logger.error(`Could not release ${eventLabel(event)}`, stackOf(releaseError));
        });
        throw error;
      }
      try {
        await this.store.complete(key, ttlMs, freshUntilMs);
      } catch (error) {
        // Handled or queued already: a 5xx now would make the provider deliver the event again.
        this.logger.error(`Could not mark ${eventLabel(event)} as settled`, stackOf(error));
      }
      return queued ? { received: true, queued: true } : { received: true };
    } finally {
      this.inFlight.end();
    }
  }

  private async enqueue(event: FaceEvent): Promise<void> {
    try {
      await this.queue!.enqueue(event);
    } catch (error) {
      this.logger.error(`Could not queue ${eventLabel(event)}`, stackOf(error));
      throw new RetryLaterException('Webhook could not be queued; retry later');
    }
  }

  /**
   * Runs the handlers. If some fail, those that succeeded are recorded before the claim is released,
   * so the provider's retry runs only the failed ones (`resumed`).
   */
  private async handleInline(event: FaceEvent, key: string, resumed: boolean, ttlMs: number): Promise<void> {
    let skip: ReadonlySet<string> | undefined;
    try {
      if (resumed) skip = await this.store.finishedHandlers(key);
    } catch (error) {
      throw this.storeUnavailable(event, error);
    }
    const outcomes = await this.dispatcher.dispatch(event, skip && { skip });
    const failures = outcomes.filter((outcome) => 'error' in outcome);
    if (failures.length === 0) return;
    for (const failure of failures) {
      this.logger.error(`Handler ${failure.handler} failed for ${eventLabel(event)}`, stackOf(failure.error));
    }
    const finished = outcomes.filter((outcome) => !('error' in outcome)).map((outcome) => outcome.handler);
    if (finished.length > 0) {
      // If the store cannot take it, the retry runs them again: logged, as the one way a handler runs twice.
      await this.store.recordFinishedHandlers(key, finished, ttlMs).catch((error: unknown) => {
        this.logger.error(
          `Could not record that ${finished.join(', ')} finished for ${eventLabel(event)}; a retry runs them again`,
          stackOf(error),
        );
      });
    }
    throw new InternalServerErrorException('A webhook handler failed; the delivery can be retried');
  }

  /** A full memory store: 503 (retry later), logged at most once a minute, since a flood causes it. */
  private storeFull(error: IdempotencyStoreFullError): RetryLaterException {
    const now = Date.now();
    if (now - this.lastStoreFullLog >= 60_000) {
      this.lastStoreFullLog = now;
      this.logger.warn(`${error.message}; deliveries get 503 until the oldest leave their window`);
    }
    return new RetryLaterException('Too many recent events to remember; retry later');
  }

  /** Logs a failed read of the de-duplication store; the delivery gets 503 (retry later). */
  private storeUnavailable(event: FaceEvent, error: unknown): RetryLaterException {
    this.logger.error(`De-duplication store unavailable for ${eventLabel(event)}`, stackOf(error));
    return new RetryLaterException('Webhook could not be recorded; retry later');
  }
}

/** How logs name an event: `faceio.ENROLL <id>`, and its tenant when it has one. */
export function eventLabel(event: Pick<FaceEvent, 'type' | 'id' | 'tenant'>): string {
  return event.tenant === undefined
    ? `${event.type} ${event.id}`
    : `${event.type} ${event.id} (tenant ${event.tenant})`;
}

export function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
