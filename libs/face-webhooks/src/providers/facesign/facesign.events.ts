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
    /** A session's video analysis finished. */
    'facesign.analysis.video': FaceSignWebhookEventDto;
    /** A session's screenshot analysis finished. */
    'facesign.analysis.screenshot': FaceSignWebhookEventDto;
    /** A session's deepfake analysis finished. */
    'facesign.analysis.deepfake': FaceSignWebhookEventDto;
    /** The avatars available on the FaceSign platform changed. */
    'facesign.settings.avatars': FaceSignWebhookEventDto;
    /** The languages available on the FaceSign platform changed. */
    'facesign.settings.langs': FaceSignWebhookEventDto;
  }
}
