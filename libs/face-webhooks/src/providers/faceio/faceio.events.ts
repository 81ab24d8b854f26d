import type { FaceioWebhookEventDto } from './faceio-event.dto.js';

/** The FACEIO events the library knows. FACEIO says there are "many other events"; see the DTO. */
export const FACEIO_EVENT_NAMES = ['ENROLL', 'AUTH', 'DELETION'] as const;
/** A FACEIO event name the library types: `'ENROLL'`, `'AUTH'` or `'DELETION'` (handled as `'faceio.<name>'`). */
export type FaceioEventName = (typeof FACEIO_EVENT_NAMES)[number];

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** A user enrolled: `details` carries age, gender and date. */
    'faceio.ENROLL': FaceioWebhookEventDto;
    /** A user authenticated. */
    'faceio.AUTH': FaceioWebhookEventDto;
    /** A facial id was deleted; `payload` is absent. */
    'faceio.DELETION': FaceioWebhookEventDto;
  }
}
