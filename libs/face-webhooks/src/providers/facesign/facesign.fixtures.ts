import type { FaceSignEventType } from './facesign.events.js';

/** A FaceSign body as it arrives on the wire. */
export interface FaceSignFixture {
  /** A fresh event id, `evt_...`. */
  id: string;
  /** The `WebhookType`: `session.status`, `media.user_photo`, ... */
  type: string;
  /** When the event was created, Unix milliseconds. */
  createdAt: number;
  /** The FaceSign session the event is about. */
  sessionId: string;
  /** On media events only: the file that is ready. */
  media?: {
    /** The media file's id. */
    id: string;
    /** When the file was made, Unix milliseconds. */
    createdAt: number;
    /** The download URL. */
    url: string;
    /** Unix milliseconds after which `url` no longer works (15 minutes after `createdAt`). */
    expires: number;
    /** `image/jpeg` or `video/mp4`. */
    contentType: string;
  };
}

const MEDIA: Partial<Record<FaceSignEventType, { file: string; contentType: string }>> = {
  'media.user_photo': { file: 'jpg', contentType: 'image/jpeg' },
  'media.document_photo': { file: 'jpg', contentType: 'image/jpeg' },
  'media.user_video': { file: 'mp4', contentType: 'video/mp4' },
};

let sequence = 0;

/**
 * A realistic FaceSign body of the given type, with a fresh `id` each call and, for media events,
 * a URL that expires in 15 minutes. Pass overrides to change fields.
 */
export function faceSignFixture(
  type: FaceSignEventType,
  overrides: Partial<FaceSignFixture> = {},
): FaceSignFixture {
  const createdAt = Date.now();
  const id = `evt_${type.replace('.', '_')}_${createdAt.toString(36)}${(sequence++).toString(36)}`;
  const event: FaceSignFixture = { id, type, createdAt, sessionId: '3f0a4e1e-9c2b-4b6f-8d3a-2a8e1b7c4f01' };
  const media = MEDIA[type];
  if (media) {
    const mediaId = `m_${id.slice(4)}`;
    event.media = {
      id: mediaId,
      createdAt,
      url: `https://media.facesign.ai/${mediaId}.${media.file}`,
      expires: createdAt + 15 * 60 * 1000,
      contentType: media.contentType,
    };
  }
  return { ...event, ...overrides };
}
