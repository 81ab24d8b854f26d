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
/** An Entrust IDaaS event type (handled as `'idaas.<type>'`). */
export type IdaasEventType = (typeof IDAAS_EVENT_TYPES)[number];

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** A face biometric was created: `data` is fully typed. */
    'idaas.face.biometric.created': IdaasFaceBiometricCreatedEvent;
    /** A user authenticated. */
    'idaas.authentication.succeeded': IdaasWebhookEventDto;
    /** An authentication failed. */
    'idaas.authentication.failed': IdaasWebhookEventDto;
    /** A user was created. */
    'idaas.user.created': IdaasWebhookEventDto;
    /** A user was updated. */
    'idaas.user.updated': IdaasWebhookEventDto;
    /** A user was deleted. */
    'idaas.user.deleted': IdaasWebhookEventDto;
    /** A user completed registration. */
    'idaas.user.registration.completed': IdaasWebhookEventDto;
    /** A user's password was updated. */
    'idaas.password.updated': IdaasWebhookEventDto;
    /** A knowledge-based authentication question was created. */
    'idaas.kba.question.created': IdaasWebhookEventDto;
    /** A grid card was created. */
    'idaas.grid.created': IdaasWebhookEventDto;
    /** A grid card was sent by email. */
    'idaas.grid.email.sent': IdaasWebhookEventDto;
    /** A grid card's password was sent by email. */
    'idaas.grid.password.email.sent': IdaasWebhookEventDto;
    /** A passkey was created. */
    'idaas.passkey.created': IdaasWebhookEventDto;
    /** A passkey was updated. */
    'idaas.passkey.updated': IdaasWebhookEventDto;
    /** A passkey was deleted. */
    'idaas.passkey.deleted': IdaasWebhookEventDto;
    /** A magic link was sent by email. */
    'idaas.magiclink.email.sent': IdaasWebhookEventDto;
  }
}
