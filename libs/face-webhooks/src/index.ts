/**
 * The main entry point: `FaceWebhooksModule` and its options, the `@OnFaceEvent` decorator and the
 * typed event map, the guard, pipe and pipeline for routes of your own, the idempotency stores, the
 * provider contract (`defineFaceWebhookProvider`) and every built-in provider's options, events and
 * DTOs.
 *
 * @packageDocumentation
 * @module nestjs-face-webhooks
 */
export { FaceWebhooksModule } from './face-webhooks.module.js';
export type { FaceDeliveryMode } from './contracts/face-webhooks.tokens.js';
export type {
  FaceWebhooksRedisClusterOptions,
  FaceWebhooksRedisConnection,
  FaceWebhooksRedisOptions,
} from './redis/redis-connection.js';
export { FACE_WEBHOOKS_MODULE_OPTIONS } from './contracts/face-webhooks.tokens.js';
export {
  AtRestCipher,
  AtRestDecryptionError,
  type AtRestEncryptionOptions,
} from './contracts/at-rest-encryption.js';
export {
  type BuiltInProvidersOptions,
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
export type { FaceWebhookRouteOptions } from './http/app-routes/face-webhook-app-route.js';
export { FaceWebhookEvent, FaceWebhookEventPipe } from './http/app-routes/face-webhook-event.pipe.js';
export { FaceWebhookPipeline } from './http/app-routes/face-webhook-pipeline.js';
export type { WebhookAck } from './pipeline/delivery.js';
export { FaceWebhooksConfigError } from './contracts/face-webhooks-config.error.js';
export {
  FaceWebhookIdempotencyStore,
  type IdempotencyClaim,
  type LeaseOutcome,
  type LeaseScope,
  type LeaseTerms,
} from './pipeline/deduplication/idempotency-store.js';
export { MemoryIdempotencyStore } from './pipeline/deduplication/memory-idempotency-store.js';
export { RedisIdempotencyStore } from './pipeline/deduplication/redis-idempotency-store.js';

// The provider contract: how every built-in provider is written, and how an app writes its own.
export {
  defineFaceWebhookProvider,
  type AnyDefinedFaceWebhookProvider,
  type DefinedFaceWebhookProvider,
  type FaceWebhookProviderRegistration,
} from './contracts/define-face-webhook-provider.js';
export type {
  FaceWebhookOpenApi,
  FaceWebhookProvider,
  FaceWebhookProviderDefinition,
  FaceWebhookProviderInstance,
  FaceWebhookProviderTesting,
  SignedWebhookRequest,
  WebhookAuthFailure,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookEventDescription,
  WebhookRequest,
} from './contracts/face-webhook-provider.interface.js';
export type { CommonProviderOptions } from './contracts/provider-options.interface.js';
export { asList, checkSecrets, checkToleranceSeconds } from './contracts/provider-options.checks.js';
export { bytesEqual, SecretSet } from './contracts/constant-time.js';
export {
  checkTimestampedHmac,
  timestampedHmac,
  type SignedTimestamp,
  type TimestampedHmacCheck,
} from './contracts/timestamped-hmac.js';
export { IsReadableTime } from './contracts/is-readable-time.decorator.js';

// The providers the library ships, each defined on that contract.
export * from './providers/built-in-providers.js';

export type { FaceWebhookRefusalReason } from './contracts/refusal-reason.js';
export type { FaceDeliveryOutcome, FaceHandlerRun } from './contracts/face-delivery-outcome.js';
export type {
  FaceWebhooksConsoleAlert,
  FaceWebhooksConsoleOptions,
  FaceWebhooksConsolePayloadInput,
} from './console/face-webhooks-console.options.js';
export type {
  FaceDeliveryFilter,
  FaceDeliveryLogStatus,
  FaceDeliveryRecord,
  FaceDeliveryRow,
} from './console/face-delivery-log.js';
export { FaceWebhookTenants } from './tenants/face-webhook-tenants.js';
export type {
  FaceWebhookTenantLookup,
  FaceWebhookTenantResolver,
  FaceWebhookTenantsOptions,
} from './contracts/face-webhook-tenants.options.js';
