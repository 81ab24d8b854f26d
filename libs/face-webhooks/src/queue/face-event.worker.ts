import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AtRestCipher } from '../contracts/at-rest-encryption.js';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Cluster } from 'ioredis';
import { ATTR, FaceWebhooksTelemetry, SpanKind } from '../observability/face-webhooks.telemetry.js';
import { buildFaceEvent } from '../pipeline/face-event.factory.js';
import { FaceWebhookProviderRegistry } from '../pipeline/face-webhook-provider.registry.js';
import { eventLabel, stackOf } from '../pipeline/delivery.js';
import { HandlerRuns } from '../pipeline/handlers/handler-runs.js';
import { bullMqConnection, isClusterConnection } from '../redis/redis-connection.js';
import {
  FACE_EVENT_QUEUE_SETTINGS,
  FACE_EVENTS_QUEUE,
  type FaceEventJobData,
  type FaceEventQueueSettings,
  jobBodyContext,
} from './face-event-queue.settings.js';

/**
 * How long a queued event remembers which of its handlers finished: longer than its retries with
 * backoff, and long enough for a replay from the failed set days later.
 */
const QUEUED_HANDLER_RECORD_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Runs the handlers of queued events. A job whose handlers fail is retried with exponential backoff
 * and, when its attempts are used up, stays in the queue's failed set (see `FailedFaceEvents`).
 * A worker that dies mid-job loses its lock; after `lockDurationMs` another worker runs the job.
 * Every handler that finishes is recorded, so neither retries nor that other worker run it again.
 * On shutdown it stops taking jobs and lets the running ones finish.
 */
@Injectable()
export class FaceEventWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('FaceWebhooks');
  private worker?: Worker<FaceEventJobData>;
  /** The worker's client on a Redis Cluster, closed after the worker. */
  private cluster?: Cluster;

  constructor(
    private readonly registry: FaceWebhookProviderRegistry,
    private readonly handlers: HandlerRuns,
    @Inject(FACE_EVENT_QUEUE_SETTINGS) private readonly settings: FaceEventQueueSettings,
    private readonly telemetry: FaceWebhooksTelemetry,
    private readonly cipher: AtRestCipher,
  ) {}

  /** Starts after every module is initialised, so all handlers have been discovered. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.workers) return;
    const connection = await bullMqConnection(this.settings.connection, { maxRetriesPerRequest: null });
    if (isClusterConnection(this.settings.connection)) this.cluster = connection as Cluster;
    this.worker = new Worker<FaceEventJobData>(FACE_EVENTS_QUEUE, (job) => this.process(job), {
      connection: connection as ConnectionOptions,
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
    await this.cluster?.quit().catch(() => this.cluster?.disconnect());
  }

  /**
   * The job's span is a child of the delivery's span (from the context the job carries), not a
   * link: one trace then shows the request, the queued hop and every attempt, which is what an
   * operator follows; attempts are told apart by `face_webhooks.job.attempt`.
   */
  private process(job: Job<FaceEventJobData>): Promise<void> {
    const { provider, tenant, type, id, trace } = job.data;
    return this.telemetry.tracer.startActiveSpan(
      'face_webhooks.job',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [ATTR.provider]: provider,
          [ATTR.eventType]: type,
          [ATTR.eventId]: id,
          [ATTR.attempt]: job.attemptsMade + 1,
          ...(tenant === undefined ? {} : { [ATTR.tenant]: tenant }),
        },
      },
      FaceWebhooksTelemetry.extract(trace),
      async (span) => {
        try {
          await this.run(job);
          FaceWebhooksTelemetry.end(span, 'accepted');
        } catch (error) {
          FaceWebhooksTelemetry.end(span, 'failed', undefined, error);
          throw error;
        }
      },
    );
  }

  private async run(job: Job<FaceEventJobData>): Promise<void> {
    const { provider: name } = job.data;
    const provider = this.registry.get(name);
    if (!provider) throw new UnrecoverableError(`provider ${name} is not enabled in this process`);
    let raw;
    try {
      raw = this.cipher.open(job.data.raw, jobBodyContext(name, job.data.id));
    } catch (error) {
      // A key taken out of encryptAtRest.keys too soon: put it back, then replay from the failed set.
      throw new UnrecoverableError(`cannot open the stored body: ${(error as Error).message}`);
    }
    let event;
    try {
      // The id it was received with: for some senders it came from the headers, not the body.
      event = buildFaceEvent(provider, raw, new Date(job.data.receivedAt), job.data.tenant, job.data.id);
    } catch (error) {
      throw new UnrecoverableError(`stored event no longer validates: ${stackOf(error)}`);
    }
    // Each handler that finishes is recorded at once, so no later run of this event runs it again:
    // a retry, another worker after this one died holding the job, or a new job for the same event
    // (queued again after the first job was removed). Every job reads the record first, through a
    // short Redis outage too; if the store stays away, the attempt fails and BullMQ retries it.
    const failures = await this.handlers.run(event, {
      resume: true,
      record: 'each',
      recordTtlMs: QUEUED_HANDLER_RECORD_TTL_MS,
      attempt: `attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}`,
    });
    if (failures.length > 0) throw new Error(`${failures.length} handler(s) failed for ${eventLabel(event)}`);
  }
}
