import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Cluster } from 'ioredis';
import { ATTR, FaceWebhooksTelemetry, SpanKind } from '../observability/face-webhooks.telemetry.js';
import { FaceEventDispatcher } from '../pipeline/handlers/face-event-dispatcher.js';
import { buildFaceEvent, deduplicationKey } from '../pipeline/face-event.factory.js';
import { FaceWebhookProviderRegistry } from '../pipeline/face-webhook-provider.registry.js';
import { eventLabel, stackOf } from '../pipeline/face-webhook.receiver.js';
import { FaceWebhookIdempotencyStore } from '../pipeline/deduplication/idempotency-store.js';
import { bullMqConnection, isClusterConnection } from '../redis/redis-connection.js';
import {
  FACE_EVENT_QUEUE_SETTINGS,
  FACE_EVENTS_QUEUE,
  type FaceEventJobData,
  type FaceEventQueueSettings,
} from './face-event-queue.settings.js';

/**
 * How long a queued event remembers which of its handlers finished: longer than its retries with
 * backoff, and long enough for a replay from the failed set days later.
 */
const QUEUED_HANDLER_RECORD_TTL_MS = 7 * 24 * 3600 * 1000;
/** How long a worker keeps trying to read or write handler records while the store is unreachable. */
const RECORD_RETRY_MS = 30_000;

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
    private readonly dispatcher: FaceEventDispatcher,
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
    @Inject(FACE_EVENT_QUEUE_SETTINGS) private readonly settings: FaceEventQueueSettings,
    private readonly telemetry: FaceWebhooksTelemetry,
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
   * Records a finished handler, retrying through a Redis outage (BullMQ cannot complete the job
   * during one either, so this is the moment the record matters most) for up to `RECORD_RETRY_MS`.
   */
  private async recordFinished(key: string, handler: string, what: string): Promise<void> {
    try {
      await retryingStore(() =>
        this.store.recordFinishedHandlers(key, [handler], QUEUED_HANDLER_RECORD_TTL_MS),
      );
    } catch (error) {
      this.logger.error(
        `Could not record that ${handler} finished for ${what}; a later run of the job runs it again`,
        stackOf(error),
      );
    }
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
    let event;
    try {
      const raw = Buffer.from(job.data.raw, 'base64');
      event = buildFaceEvent(provider, raw, new Date(job.data.receivedAt), job.data.tenant);
    } catch (error) {
      throw new UnrecoverableError(`stored event no longer validates: ${stackOf(error)}`);
    }
    const attempt = `attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}`;
    const what = eventLabel(event);
    const key = deduplicationKey(event);
    // Each handler that finishes is recorded at once, so no later run of this event runs it again:
    // a retry, another worker after this one died holding the job, or a new job for the same event
    // (queued again after the first job was removed). Every job reads the record first, through a
    // short Redis outage too; if the store stays away, the attempt fails and BullMQ retries it.
    const outcomes = await this.dispatcher.dispatch(event, {
      skip: await retryingStore(() => this.store.finishedHandlers(key)),
      onFinished: (handler) => this.recordFinished(key, handler, what),
    });
    const failures = outcomes.filter((outcome) => 'error' in outcome);
    for (const failure of failures) {
      this.logger.error(`Handler ${failure.handler} failed for ${what} (${attempt})`, stackOf(failure.error));
    }
    if (failures.length > 0) throw new Error(`${failures.length} handler(s) failed for ${what}`);
  }
}

/** Runs a store call, retrying with backoff while it fails, for up to `RECORD_RETRY_MS`. */
async function retryingStore<T>(call: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + RECORD_RETRY_MS;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1_000)) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() + delayMs > giveUpAt) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
