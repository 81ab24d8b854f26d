import type { FaceEvent } from './face-event.interface.js';

/** Where queued deliveries go; implemented by the BullMQ queue when `queue` is enabled. */
export abstract class FaceEventQueue {
  /** Stores the event durably; resolves only once it is written, throws when it cannot be. */
  abstract enqueue(event: FaceEvent): Promise<void>;
  /** How many events are in the failed set; rejects when the queue cannot be reached. */
  abstract failedCount(): Promise<number>;
}
