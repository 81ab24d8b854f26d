import type { FaceSignMediaEventDto, FaceSignWebhookEventDto } from './facesign-event.dto.js';

/** FaceSign's `WebhookType` values. */
export const FACESIGN_EVENT_TYPES = [
  'session.status',
  'media.user_photo',
  'media.document_photo',
  'media.user_video',
  'analysis.video',
  'analysis.screenshot',
  'analysis.deepfake',
  'settings.avatars',
  'settings.langs',
] as const;
export type FaceSignEventType = (typeof FACESIGN_EVENT_TYPES)[number];

/** The events that carry a downloadable `media` object. */
export const FACESIGN_MEDIA_EVENT_TYPES: ReadonlySet<string> = new Set<FaceSignEventType>([
  'media.user_photo',
  'media.document_photo',
  'media.user_video',
]);

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
