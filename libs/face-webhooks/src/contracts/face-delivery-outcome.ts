import type { FaceWebhookRefusalReason } from './refusal-reason.js';

/** What became of a delivery: the `outcome` attribute of spans and metrics, and the console's column. */
export type FaceDeliveryOutcome =
  /** Handled inline, every handler succeeded (200). */
  | 'accepted'
  /** A repeat of an event already handled or queued (200). */
  | 'duplicate'
  /** Written to the queue (202). */
  | 'queued'
  /** Refused: 4xx, with a `reason`. */
  | 'rejected'
  /** A handler failed (500); the provider retries. */
  | 'failed'
  /** 503: the same event in flight, a store or queue unreachable, a full store, shutting down. */
  | 'retry-later';

/** What an acknowledged delivery came to. */
export interface DeliveryAck {
  readonly duplicate?: true;
  readonly queued?: true;
}

/** One finished delivery, as telemetry publishes it to its listeners (the console's log). */
export interface FaceDeliveryNote {
  readonly provider: string;
  /** The tenant of a tenant route's delivery. */
  readonly tenant?: string;
  /** Known once the body validated. */
  readonly type?: string;
  readonly id?: string;
  readonly outcome: FaceDeliveryOutcome;
  readonly reason?: FaceWebhookRefusalReason;
  readonly durationMs: number;
  /** The verified body, once there is one (a listener keeps it only if it must, say for replay). */
  readonly raw?: Buffer;
  /**
   * The request's headers, as received (credentials included: a listener that keeps them masks
   * them, as the console's log does). Absent for a replay and an app's own route.
   */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** The `@OnFaceEvent` handlers that ran inline for it, in the order they finished. */
  readonly handlers?: readonly FaceHandlerRun[];
  /** The first line of the error it was answered with, for a refusal, a 503 or a 500. */
  readonly message?: string;
}

/** One handler's run for one delivery. */
export interface FaceHandlerRun {
  /** `ClassName.method`, as the handler records name it. */
  readonly handler: string;
  /** How long it ran, in ms. */
  readonly durationMs: number;
  /** Its error's first line, when it failed. */
  readonly error?: string;
}
