import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ATTR, FaceWebhooksTelemetry } from '../observability/face-webhooks.telemetry.js';
import { FACE_EVENTS_QUEUE, type FaceEventJobData } from './face-event-queue.settings.js';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * `face_webhooks.queue.jobs{face_webhooks.job.state}`: the queue's waiting, active, delayed and
 * failed jobs, read from Redis when the SDK collects (not on every delivery).
 */
@Injectable()
export class FaceEventQueueGauges implements OnModuleInit {
  constructor(
    private readonly telemetry: FaceWebhooksTelemetry,
    @InjectQueue(FACE_EVENTS_QUEUE) private readonly queue: Queue<FaceEventJobData>,
  ) {}

  onModuleInit(): void {
    this.telemetry.observe(
      'face_webhooks.queue.jobs',
      'Jobs in the face-events queue, by state',
      '{job}',
      async (result) => {
        const counts = await this.queue.getJobCounts(...STATES).catch(() => undefined);
        if (!counts) return; // Redis unreachable: no reading rather than a wrong one
        for (const state of STATES) result.observe(counts[state] ?? 0, { [ATTR.jobState]: state });
      },
    );
  }
}
