// Queued delivery's public API. A separate entry point, because it loads BullMQ: apps that stay
// inline import nothing from here and need neither BullMQ nor Redis.
export { FACE_EVENTS_QUEUE, type FaceEventJobData } from './face-event-queue.settings.js';
export { FailedFaceEvents, type FailedFaceEvent } from './failed-face-events.service.js';
