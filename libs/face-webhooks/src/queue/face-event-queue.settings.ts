import type { FaceWebhooksRedisConnection } from '../redis/redis-connection.js';

/** Name of the BullMQ queue the module writes to (`@InjectQueue(FACE_EVENTS_QUEUE)` to inspect it). */
export const FACE_EVENTS_QUEUE = 'face-webhooks';
/** Injection token of the resolved {@link FaceEventQueueSettings}. */
export const FACE_EVENT_QUEUE_SETTINGS = Symbol('FACE_EVENT_QUEUE_SETTINGS');

/** Queue and worker settings, resolved from the module's options. */
export interface FaceEventQueueSettings {
  readonly connection: FaceWebhooksRedisConnection;
  /** BullMQ key prefix (hash-tagged on a cluster). */
  readonly prefix: string;
  /** Whether this process runs workers (a web-only instance does not). */
  readonly workers: boolean;
  /** Handler runs per event before it moves to the failed set. */
  readonly attempts: number;
  /** First retry delay; each further retry waits twice as long. */
  readonly backoffDelayMs: number;
  readonly concurrency: number;
  /** How long a worker holds a job before another may take it as stalled (worker died). */
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
}

/** What is stored per queued event: enough to rebuild it exactly, nothing parsed. */
export interface FaceEventJobData {
  /** The provider the event came to, `faceio`, `persona`, ... */
  readonly provider: string;
  /** The tenant of a tenant route's delivery. */
  readonly tenant?: string;
  /** The event type, with its provider: `faceio.ENROLL`, ... */
  readonly type: string;
  /** The event id (the de-duplication key). */
  readonly id: string;
  /** When the delivery was received, ISO 8601. */
  readonly receivedAt: string;
  /** The raw body: base64, or sealed (`fwe1.<key id>. ...`) under `encryptAtRest`. */
  readonly raw: string;
  /** The delivery's trace context (W3C `traceparent`, `tracestate`), when an OpenTelemetry SDK runs. */
  readonly trace?: Record<string, string>;
}

/** What a job's sealed body is bound to: it opens only as the body of this provider's event. */
export function jobBodyContext(provider: string, id: string): string {
  return `queued-event:${provider}:${id}`;
}
