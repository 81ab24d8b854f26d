import type { FaceSignEventType } from './facesign.events.js';

/** A FaceSign body as it arrives on the wire. */
export interface FaceSignFixture {
  id: string;
  type: string;
  createdAt: number;
  sessionId: string;
  media?: { id: string; createdAt: number; url: string; expires: number; contentType: string };
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
