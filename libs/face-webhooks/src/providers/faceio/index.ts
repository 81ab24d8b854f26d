export { FaceioEventDetailsDto, FaceioWebhookEventDto } from './faceio-event.dto.js';
export { FACEIO_EVENT_NAMES, type FaceioEventName } from './faceio.events.js';
export type { FaceioTenantSettings, FaceioWebhookOptions } from './faceio.options.js';
export { FaceioWebhookGuard } from './faceio-webhook.guard.js';
