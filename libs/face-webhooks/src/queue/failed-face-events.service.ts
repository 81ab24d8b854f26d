import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { FailedQueuedEvent } from '../contracts/face-event-queue.interface.js';
import { FACE_EVENTS_QUEUE, type FaceEventJobData } from './face-event-queue.settings.js';

/** A queued event whose handlers failed on every attempt. */
export type FailedFaceEvent = FailedQueuedEvent;

/**
 * Lists the queue's failed set and sends events from it back to the workers. Injectable wherever
 * the module runs with `queue` on.
 *
 * @example
 * ```ts
 * import { Controller, Get, Param, Post } from '@nestjs/common';
 * import { FailedFaceEvents, type FailedFaceEvent } from 'nestjs-face-webhooks/queue';
 *
 * @Controller('admin/failed-events')
 * export class FailedEventsController {
 *   constructor(private readonly failed: FailedFaceEvents) {}
 *
 *   @Get()
 *   list(): Promise<FailedFaceEvent[]> {
 *     return this.failed.list(0, 49);
 *   }
 *
 *   @Post(':jobId/replay')
 *   replay(@Param('jobId') jobId: string): Promise<boolean> {
 *     return this.failed.replay(jobId);
 *   }
 * }
 * ```
 */
@Injectable()
export class FailedFaceEvents {
  constructor(@InjectQueue(FACE_EVENTS_QUEUE) private readonly queue: Queue<FaceEventJobData>) {}

  /** Failed events, newest first; `start`/`end` page through them (inclusive). */
  async list(start = 0, end = 99): Promise<FailedFaceEvent[]> {
    const jobs = await this.queue.getFailed(start, end);
    return jobs.map((job) => ({
      jobId: job.id!,
      provider: job.data.provider,
      type: job.data.type,
      id: job.data.id,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason,
      failedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
    }));
  }

  /** Runs a failed event's handlers again, with a fresh set of attempts. False if it is not failed. */
  async replay(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job || !(await job.isFailed())) return false;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }
}
