import type { IdaasFaceBiometricCreatedEvent, IdaasWebhookEventDto } from './idaas-event.dto.js';

/** Every IDaaS webhook event type. */
export const IDAAS_EVENT_TYPES = [
  'authentication.succeeded',
  'authentication.failed',
  'user.created',
  'user.updated',
  'user.deleted',
  'user.registration.completed',
  'password.updated',
  'kba.question.created',
  'grid.created',
  'grid.email.sent',
  'grid.password.email.sent',
  'passkey.created',
  'passkey.updated',
  'passkey.deleted',
  'magiclink.email.sent',
  'face.biometric.created',
] as const;
export type IdaasEventType = (typeof IDAAS_EVENT_TYPES)[number];

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** A face biometric was created: `data` is fully typed. */
    'idaas.face.biometric.created': IdaasFaceBiometricCreatedEvent;
    'idaas.authentication.succeeded': IdaasWebhookEventDto;
    'idaas.authentication.failed': IdaasWebhookEventDto;
    'idaas.user.created': IdaasWebhookEventDto;
    'idaas.user.updated': IdaasWebhookEventDto;
    'idaas.user.deleted': IdaasWebhookEventDto;
    'idaas.user.registration.completed': IdaasWebhookEventDto;
    'idaas.password.updated': IdaasWebhookEventDto;
    'idaas.kba.question.created': IdaasWebhookEventDto;
    'idaas.grid.created': IdaasWebhookEventDto;
    'idaas.grid.email.sent': IdaasWebhookEventDto;
    'idaas.grid.password.email.sent': IdaasWebhookEventDto;
    'idaas.passkey.created': IdaasWebhookEventDto;
    'idaas.passkey.updated': IdaasWebhookEventDto;
    'idaas.passkey.deleted': IdaasWebhookEventDto;
    'idaas.magiclink.email.sent': IdaasWebhookEventDto;
  }
}
