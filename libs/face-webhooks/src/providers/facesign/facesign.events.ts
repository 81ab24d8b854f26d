import type { FaceSignMediaEventDto, FaceSignWebhookEventDto } from './facesign-event.dto.js';

export {
  FACESIGN_EVENT_TYPES,
  FACESIGN_MEDIA_EVENT_TYPES,
  type FaceSignEventType,
} from './facesign.event-types.js';

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** A session's status changed; fetch `GET /sessions/:id` for the status itself. */
    'facesign.session.status': FaceSignWebhookEventDto;
    /** The user's selfie is ready: download `media.url` before `media.expires`. */
    'facesign.media.user_photo': FaceSignMediaEventDto;
    /** A document photo is ready. */
    'facesign.media.document_photo': FaceSignMediaEventDto;
    /** The session's video is ready. */
    'facesign.media.user_video': FaceSignMediaEventDto;
    'facesign.analysis.video': FaceSignWebhookEventDto;
    'facesign.analysis.screenshot': FaceSignWebhookEventDto;
    'facesign.analysis.deepfake': FaceSignWebhookEventDto;
    'facesign.settings.avatars': FaceSignWebhookEventDto;
    'facesign.settings.langs': FaceSignWebhookEventDto;
  }
}
