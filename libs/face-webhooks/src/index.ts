export { FaceWebhooksModule } from './face-webhooks.module.js';
export type { FaceDeliveryMode } from './contracts/face-webhooks.tokens.js';
export { FACE_EVENTS_QUEUE } from './queue/face-event-queue.settings.js';
export { RedisIdempotencyStore } from './pipeline/deduplication/redis-idempotency-store.js';
export type {
  FaceWebhooksRedisClusterOptions,
  FaceWebhooksRedisConnection,
  FaceWebhooksRedisOptions,
} from './redis/redis-connection.js';
export { FACE_WEBHOOKS_MODULE_OPTIONS } from './face-webhooks.module-definition.js';
export {
  DEFAULT_BASE_PATH,
  DEFAULT_BODY_LIMIT,
  type FaceWebhooksModuleExtras,
  type FaceWebhooksModuleOptions,
} from './face-webhooks.options.js';

export type { FaceEvent } from './contracts/face-event.interface.js';
export type {
  AnyFaceEvent,
  FaceEventMap,
  FaceEventOf,
  FaceEventType,
  FaceEventTypesMatching,
} from './contracts/face-event-map.js';
export { OnFaceEvent } from './contracts/on-face-event.decorator.js';
export { FaceWebhookGuard } from './http/face-webhook.guard.js';
export { isFaceWebhookRoute } from './http/is-face-webhook-route.js';
export { FaceWebhookRoute } from './http/app-routes/face-webhook-route.decorator.js';
export type {
  FaceWebhookProviderName,
  FaceWebhookRouteOptions,
} from './http/app-routes/face-webhook-app-route.js';
export { FaceWebhookEvent, FaceWebhookEventPipe } from './http/app-routes/face-webhook-event.pipe.js';
export { FaceWebhookPipeline } from './http/app-routes/face-webhook-pipeline.js';
export { FaceWebhookRouteGuard } from './http/app-routes/face-webhook-route.guard.js';
export { FaceWebhookRouteInterceptor } from './http/app-routes/face-webhook-route.interceptor.js';
export { FaceWebhookProviderRegistry } from './pipeline/face-webhook-provider.registry.js';
export type { WebhookAck } from './pipeline/face-webhook.receiver.js';
export { FaceWebhooksConfigError } from './contracts/face-webhooks-config.error.js';
export { FaceWebhookIdempotencyStore, type IdempotencyClaim } from './pipeline/deduplication/idempotency-store.js';
export { MemoryIdempotencyStore } from './pipeline/deduplication/memory-idempotency-store.js';
export type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookEventDescription,
  WebhookRequest,
} from './contracts/face-webhook-provider.interface.js';

export { FaceioEventDetailsDto, FaceioWebhookEventDto } from './providers/faceio/faceio-event.dto.js';
export { FACEIO_EVENT_NAMES, type FaceioEventName } from './providers/faceio/faceio.events.js';
export type { FaceioTenantSettings, FaceioWebhookOptions } from './providers/faceio/faceio.options.js';
export { FaceioWebhookGuard } from './providers/faceio/faceio-webhook.guard.js';

export {
  FaceSignMediaDto,
  FaceSignWebhookEventDto,
  type FaceSignMediaEventDto,
} from './providers/facesign/facesign-event.dto.js';
export {
  FACESIGN_EVENT_TYPES,
  FACESIGN_MEDIA_EVENT_TYPES,
  type FaceSignEventType,
} from './providers/facesign/facesign.events.js';
export type {
  FaceSignTenantSettings,
  FaceSignWebhookOptions,
} from './providers/facesign/facesign.options.js';
export { FaceSignWebhookGuard } from './providers/facesign/facesign-webhook.guard.js';
export {
  FaceSignMediaError,
  type FaceSignMediaErrorReason,
} from './providers/facesign/facesign-media.errors.js';
export {
  FaceSignMediaService,
  type FaceSignMediaDownload,
  type FaceSignMediaDownloadOptions,
  type FaceSignMediaSink,
} from './providers/facesign/facesign-media.service.js';

export {
  IdaasFaceBiometricCreatedDataDto,
  IdaasFaceBiometricCreatedEventDto,
  IdaasFaceEntityAttributesDto,
  IdaasWebhookEventDto,
  type IdaasFaceBiometricCreatedEvent,
} from './providers/idaas/idaas-event.dto.js';
export { IDAAS_EVENT_TYPES, type IdaasEventType } from './providers/idaas/idaas.events.js';
export type { IdaasTenantSettings, IdaasWebhookOptions } from './providers/idaas/idaas.options.js';
export { IdaasWebhookGuard } from './providers/idaas/idaas-webhook.guard.js';
export type { FaceWebhookRefusalReason } from './contracts/refusal-reason.js';
export type { FaceDeliveryOutcome } from './observability/face-webhooks.telemetry.js';
export type { FaceWebhooksConsoleOptions } from './console/face-webhooks-console.options.js';
export type { FaceDeliveryRecord } from './console/face-delivery-log.js';
export { FaceWebhookTenants } from './tenants/face-webhook-tenants.js';
export type {
  FaceWebhookTenantLookup,
  FaceWebhookTenantResolver,
  FaceWebhookTenantsOptions,
} from './contracts/face-webhook-tenants.options.js';
