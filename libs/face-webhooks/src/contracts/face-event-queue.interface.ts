import type { FaceEvent } from './face-event.interface.js';

/** Where queued deliveries go; implemented by the BullMQ queue when `queue` is enabled. */
export abstract class FaceEventQueue {
  /** Stores the event durably; resolves only once it is written, throws when it cannot be. */
  abstract enqueue(event: FaceEvent): Promise<void>;
  /** How many events are in the failed set; rejects when the queue cannot be reached. */
  abstract failedCount(): Promise<number>;
  /** The failed set, newest first (the console lists it). */
  abstract listFailed(): Promise<readonly FailedQueuedEvent[]>;
  /** Sends a failed event back to the workers; false when it is not in the failed set. */
  abstract replayFailed(jobId: string): Promise<boolean>;
}

/** A queued event whose handlers failed on every attempt. */
export interface FailedQueuedEvent {
  readonly jobId: string;
  readonly provider: string;
  readonly type: string;
  readonly id: string;
  readonly attemptsMade: number;
  readonly failedReason: string;
  readonly failedAt?: Date;
}
