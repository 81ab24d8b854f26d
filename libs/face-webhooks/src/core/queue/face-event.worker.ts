import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { FaceEventDispatcher } from '../events/face-event-dispatcher.js';
import { buildFaceEvent } from '../events/face-event.factory.js';
import { FaceWebhookProviderRegistry } from '../face-webhook-provider.registry.js';
import { stackOf } from '../face-webhook.receiver.js';
import {
  FACE_EVENT_QUEUE_SETTINGS,
  FACE_EVENTS_QUEUE,
  type FaceEventJobData,
  type FaceEventQueueSettings,
} from './face-event-queue.settings.js';

/**
 * Runs the handlers of queued events. A job whose handlers fail is retried with exponential backoff
 * and, when its attempts are used up, stays in the queue's failed set (see `FailedFaceEvents`).
 * A worker that dies mid-job loses its lock; after `lockDurationMs` another worker runs the job.
 * On shutdown it stops taking jobs and lets the running ones finish.
 */
@Injectable()
export class FaceEventWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FaceWebhooks');
  private worker?: Worker<FaceEventJobData>;

  constructor(
    private readonly registry: FaceWebhookProviderRegistry,
    private readonly dispatcher: FaceEventDispatcher,
    @Inject(FACE_EVENT_QUEUE_SETTINGS) private readonly settings: FaceEventQueueSettings,
  ) {}

  /** Starts after every module is initialised, so all handlers have been discovered. */
  onApplicationBootstrap(): void {
    if (!this.settings.workers) return;
    this.worker = new Worker<FaceEventJobData>(FACE_EVENTS_QUEUE, (job) => this.process(job), {
      connection: { ...this.settings.connection, maxRetriesPerRequest: null } as ConnectionOptions,
      prefix: this.settings.prefix,
      concurrency: this.settings.concurrency,
      lockDuration: this.settings.lockDurationMs,
      stalledInterval: this.settings.stalledIntervalMs,
    });
    this.worker.on('error', (error) => this.logger.error('Queue worker error', stackOf(error)));
    this.worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.logger.error(
          `${job.data.type} ${job.data.id} moved to the failed set after ${job.attemptsMade} attempt(s): ${error.message}`,
        );
      }
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job<FaceEventJobData>): Promise<void> {
    const { provider: name, type, id } = job.data;
    const provider = this.registry.get(name);
    if (!provider) throw new UnrecoverableError(`provider ${name} is not enabled in this process`);
    let event;
    try {
      event = buildFaceEvent(provider, Buffer.from(job.data.raw, 'base64'), new Date(job.data.receivedAt));
    } catch (error) {
      throw new UnrecoverableError(`stored event no longer validates: ${stackOf(error)}`);
    }
    const attempt = `attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}`;
    const failures = (await this.dispatcher.dispatch(event)).filter((outcome) => 'error' in outcome);
    for (const failure of failures) {
      this.logger.error(
        `Handler ${failure.handler} failed for ${type} ${id} (${attempt})`,
        stackOf(failure.error),
      );
    }
    if (failures.length > 0) throw new Error(`${failures.length} handler(s) failed for ${type} ${id}`);
  }
}
