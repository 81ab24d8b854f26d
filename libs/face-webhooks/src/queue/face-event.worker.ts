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
import type { FaceEvent } from '../contracts/face-event.interface.js';
import {
  ATTR,
  FaceWebhooksTelemetry,
  firstLineOf,
  SpanKind,
} from '../observability/face-webhooks.telemetry.js';
import { buildFaceEvent, deduplicationKey } from '../pipeline/face-event.factory.js';
import { FaceWebhookProviderRegistry } from '../pipeline/face-webhook-provider.registry.js';
import { eventLabel, stackOf } from '../pipeline/delivery.js';
import { HandlerRuns, RECORD_RETRY_MS } from '../pipeline/handlers/handler-runs.js';
import { EventLeases, retryFor, type EventLease } from '../pipeline/deduplication/event-leases.js';
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
/** How often a run waiting for its event's job lease asks again. */
const JOB_LEASE_POLL_MS = 250;

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
    private readonly leases: EventLeases,
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
    await this.leases.drain();
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
    // The event's job lease, fenced by this run's token: while another run of this event (a retry
    // BullMQ started after losing this job's lock in an outage, another worker after a stall, a
    // second job for the event) holds it, this one waits, so no two runs of one event overlap.
    const key = deduplicationKey(event);
    const lease = await this.takeJobLease(key, event);
    // Each handler that finishes is recorded at once, so no later run of this event runs it again.
    // A record the store cannot take now is kept, written as soon as it can be, and until then the
    // lease is kept too: the next run waits for it, then skips the handler.
    const recordTtlMs = QUEUED_HANDLER_RECORD_TTL_MS;
    let failures;
    try {
      ({ failures } = await this.handlers.run(event, {
        resume: true,
        record: 'each',
        recordTtlMs,
        lease,
        attempt: `attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}`,
      }));
    } finally {
      const settled = lease.settle({ end: 'release', recordTtlMs, doneTtlMs: recordTtlMs }, RECORD_RETRY_MS);
      if (!(await settled)) {
        this.logger.warn(
          `Could not record yet what finished for ${eventLabel(event)}; retrying until the store answers, ` +
            'and no other run of it starts until then',
        );
      }
    }
    if (failures.length > 0) throw new Error(failureSummary(failures, eventLabel(event)));
  }

  /**
   * Takes the event's job lease, waiting while another run holds it (at most a few lease periods:
   * a run that vanished loses it after two), and retrying through a store outage for up to
   * `RECORD_RETRY_MS`. Then the attempt fails, and BullMQ retries it after its backoff.
   */
  private async takeJobLease(key: string, event: FaceEvent): Promise<EventLease> {
    const giveUpAt = Date.now() + Math.max(RECORD_RETRY_MS, 4 * this.leases.leaseMs);
    for (;;) {
      const taken = await retryFor(RECORD_RETRY_MS, () =>
        this.leases.claim(key, 'job', { ttlMs: QUEUED_HANDLER_RECORD_TTL_MS }, () => eventLabel(event)),
      );
      if (!taken) throw new Error(`the store is unreachable: ${eventLabel(event)} was not run`);
      if (taken.lease) return taken.lease;
      if (Date.now() > giveUpAt) {
        throw new Error(`another run of ${eventLabel(event)} still holds it; retried later`);
      }
      await new Promise((resolve) => setTimeout(resolve, JOB_LEASE_POLL_MS));
    }
  }
}

/**
 * What the failed set, Bull Board and the console show for a failed attempt: each failed handler
 * by name with the first line of its error, `EnrollmentsService.onEnroll: database is down`.
 */
export function failureSummary(
  failures: readonly { handler: string; error?: unknown }[],
  label: string,
): string {
  const each = failures.map(({ handler, error }) => `${handler}: ${firstLineOf(error)}`);
  const count = failures.length === 1 ? '1 handler' : `${failures.length} handlers`;
  return `${count} failed for ${label}: ${each.join('; ')}`;
}
