/**
 * Queued delivery (`queue: true` in the module's options): the BullMQ queue's name, what each job
 * stores, and `FailedFaceEvents` to list the events whose handlers failed on every attempt and
 * replay them. A separate entry point because it loads BullMQ: apps that deliver inline import
 * nothing from here and need neither BullMQ nor Redis.
 *
 * @packageDocumentation
 * @module nestjs-face-webhooks/queue
 */
export { FACE_EVENTS_QUEUE, type FaceEventJobData } from './face-event-queue.settings.js';
export { FailedFaceEvents, type FailedFaceEvent } from './failed-face-events.service.js';
