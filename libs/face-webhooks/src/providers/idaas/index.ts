export {
  IdaasFaceBiometricCreatedDataDto,
  IdaasFaceBiometricCreatedEventDto,
  IdaasFaceEntityAttributesDto,
  IdaasWebhookEventDto,
  type IdaasFaceBiometricCreatedEvent,
} from './idaas-event.dto.js';
export { IDAAS_EVENT_TYPES, type IdaasEventType } from './idaas.events.js';
export type { IdaasTenantSettings, IdaasWebhookOptions } from './idaas.options.js';
export { IdaasWebhookGuard } from './idaas-webhook.guard.js';
