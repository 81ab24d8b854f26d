import { hash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { FaceWebhooksTelemetry } from '../observability/face-webhooks.telemetry.js';
import { FaceEventQueue, type FailedQueuedEvent } from '../contracts/face-event-queue.interface.js';
import { deduplicationKey } from '../pipeline/face-event.factory.js';
import { isClusterConnection } from '../redis/redis-connection.js';
import type { FaceEvent } from '../contracts/face-event.interface.js';
import {
  FACE_EVENT_QUEUE_SETTINGS,
  FACE_EVENTS_QUEUE,
  type FaceEventJobData,
  type FaceEventQueueSettings,
} from './face-event-queue.settings.js';
import { FailedFaceEvents } from './failed-face-events.service.js';
import { AtRestCipher } from '../contracts/at-rest-encryption.js';
import { jobBodyContext } from './face-event-queue.settings.js';

/** Writes events to the BullMQ queue; `add` resolves once Redis has the job. */
@Injectable()
export class BullMqFaceEventQueue extends FaceEventQueue implements OnApplicationShutdown {
  constructor(
    @InjectQueue(FACE_EVENTS_QUEUE) private readonly queue: Queue<FaceEventJobData>,
    @Inject(FACE_EVENT_QUEUE_SETTINGS) private readonly settings: FaceEventQueueSettings,
    private readonly failed: FailedFaceEvents,
    private readonly cipher: AtRestCipher,
  ) {
    super();
  }

  /**
   * On a Redis Cluster the queue's client is one the module opened (BullMQ leaves a client it was
   * given open): closed here, after the queue.
   */
  async onApplicationShutdown(): Promise<void> {
    if (!isClusterConnection(this.settings.connection)) return;
    await this.queue.close();
    const client = this.queue.opts.connection as unknown as Cluster;
    await client.quit().catch(() => client.disconnect());
  }

  listFailed(): Promise<readonly FailedQueuedEvent[]> {
    return this.failed.list();
  }

  replayFailed(jobId: string): Promise<boolean> {
    return this.failed.replay(jobId);
  }

  async failedCount(): Promise<number> {
    return this.queue.getFailedCount();
  }

  async enqueue(event: FaceEvent): Promise<void> {
    const data: FaceEventJobData = {
      provider: event.provider,
      ...(event.tenant === undefined ? {} : { tenant: event.tenant }),
      type: event.type,
      id: event.id,
      receivedAt: event.receivedAt.toISOString(),
      // Sealed with the app's key under `encryptAtRest` (bound to this event), else base64.
      raw: this.cipher.seal(event.raw, jobBodyContext(event.provider, event.id)),
      // The worker's span continues the delivery's trace, in whichever process it runs.
      trace: FaceWebhooksTelemetry.carrier(),
    };
    await this.queue.add(event.type, data, {
      // One job per event, so a second add of the same event is a no-op (ids cannot contain ':').
      jobId: `${event.provider}-${hash('sha256', deduplicationKey(event)).slice(0, 40)}`,
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.backoffDelayMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: false,
    });
  }
}
