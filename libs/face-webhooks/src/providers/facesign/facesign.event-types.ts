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
/** A FaceSign `WebhookType` value (handled as `'facesign.<type>'`). */
export type FaceSignEventType = (typeof FACESIGN_EVENT_TYPES)[number];

/** The events that carry a downloadable `media` object. */
export const FACESIGN_MEDIA_EVENT_TYPES: ReadonlySet<string> = new Set<FaceSignEventType>([
  'media.user_photo',
  'media.document_photo',
  'media.user_video',
]);
