export {
  FaceSignMediaDto,
  FaceSignWebhookEventDto,
  type FaceSignMediaEventDto,
} from './facesign-event.dto.js';
export {
  FACESIGN_EVENT_TYPES,
  FACESIGN_MEDIA_EVENT_TYPES,
  type FaceSignEventType,
} from './facesign.events.js';
export type { FaceSignTenantSettings, FaceSignWebhookOptions } from './facesign.options.js';
export { FaceSignWebhookGuard } from './facesign-webhook.guard.js';
export { FaceSignMediaError, type FaceSignMediaErrorReason } from './facesign-media.errors.js';
export {
  FaceSignMediaService,
  type FaceSignMediaDownload,
  type FaceSignMediaDownloadOptions,
  type FaceSignMediaSink,
} from './facesign-media.service.js';
