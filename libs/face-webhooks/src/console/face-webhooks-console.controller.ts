import { randomBytes } from 'node:crypto';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
  Param,
  Post,
  Query,
  Req,
  Res,
  ServiceUnavailableException,
  type Type,
  UseGuards,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { FaceEventQueue, type FailedQueuedEvent } from '../contracts/face-event-queue.interface.js';
import { FaceWebhookReceiver } from '../pipeline/face-webhook.receiver.js';
import { stackOf } from '../pipeline/delivery.js';
import { consolePageCsp, createConsoleAccessGuard, setHeader } from './console-access.guard.js';
import { consolePage } from './console.page.js';
import {
  FaceDeliveryLog,
  replayContext,
  type FaceDeliveryFilter,
  type FaceDeliveryRecord,
  type FaceDeliveryRow,
  type FaceDeliverySummary,
} from './face-delivery-log.js';
import type {
  FaceWebhooksConsoleAlert,
  FaceWebhooksConsoleOptions,
} from './face-webhooks-console.options.js';
import { REFUSAL_WORDS } from './refusal-words.js';

const HOUR_MS = 3_600_000;
const ALERT_WINDOW_MS = 5 * 60_000;
const MAX_PAGE = 200;

type Alert = Omit<FaceWebhooksConsoleAlert, 'state' | 'at'>;
type Query_ = Record<string, unknown>;

/** What one replay came to, for the console to show on its row. */
interface ReplayResult {
  readonly seq?: string;
  readonly jobId?: string;
  readonly id?: string;
  readonly ok: boolean;
  readonly outcome: string;
  readonly message?: string;
}

/**
 * Builds the console's controller at the app's chosen path, behind the console's checks and the
 * app's guard. Pages and JSON only show what the delivery log holds: no secret, signature or body.
 */
export function createFaceWebhooksConsoleController(options: FaceWebhooksConsoleOptions): Type<unknown> {
  const guards = [createConsoleAccessGuard(options), ...(options.guard ? [options.guard] : [])];

  @Controller({ path: options.path.replace(/^\/+|\/+$/g, ''), version: VERSION_NEUTRAL })
  @UseGuards(...guards)
  class FaceWebhooksConsoleController implements OnApplicationBootstrap, OnModuleDestroy {
    private readonly logger = new Logger('FaceWebhooks');
    /** The alerts last told to `onAlert`, by key. */
    private readonly told = new Map<string, Alert>();
    private timer?: NodeJS.Timeout;

    constructor(
      @Inject(FaceDeliveryLog) private readonly log: FaceDeliveryLog,
      @Inject(FaceWebhookReceiver) private readonly receiver: FaceWebhookReceiver,
      @Optional() @Inject(FaceEventQueue) private readonly queue?: FaceEventQueue,
    ) {}

    onApplicationBootstrap(): void {
      if (!options.onAlert) return;
      this.timer = setInterval(() => void this.checkAlerts(), options.alertCheckIntervalMs ?? 15_000);
      this.timer.unref();
    }

    onModuleDestroy(): void {
      clearInterval(this.timer);
    }

    @Get()
    @Header('Content-Type', 'text/html; charset=utf-8')
    page(@Res({ passthrough: true }) response: unknown): string {
      const nonce = randomBytes(18).toString('base64');
      setHeader(response, 'Content-Security-Policy', consolePageCsp(nonce));
      return consolePage(nonce);
    }

    /** One page of deliveries matching the filter, newest first; `before` is the cursor. */
    @Get('api/deliveries')
    async deliveries(@Query() query: Query_) {
      const limit = Math.min(MAX_PAGE, Math.max(1, Number(query.limit) || 50));
      const before = text(query.before, 64);
      const page = await readLog(this.log.page(filterOf(query), limit, before));
      const failures = await this.queuedFailures();
      const deliveries = page.deliveries.map((row) => withQueuedFailure(row, failures));
      return { ...page, deliveries, log: this.log.status() };
    }

    /** The queue's failed events by provider and event id: a queued row is not green once it failed. */
    private async queuedFailures(): Promise<Map<string, FailedQueuedEvent>> {
      if (!this.queue) return new Map();
      const jobs = await this.queue.listFailed().catch(() => [] as readonly FailedQueuedEvent[]);
      return new Map(jobs.map((job) => [`${job.provider}\u0000${job.id}`, job]));
    }

    /** One delivery: masked headers, handlers, every attempt, the refusal reason in words. */
    @Get('api/deliveries/:seq')
    async delivery(@Param('seq') seq: string) {
      const found = await readLog(this.log.detail(seq.slice(0, 64)));
      if (!found) throw new NotFoundException('No delivery with that number in the log');
      const { attempts } = found;
      const delivery = withQueuedFailure(found.delivery, await this.queuedFailures());
      return {
        delivery: { ...delivery, ...(delivery.reason ? { reasonText: REFUSAL_WORDS[delivery.reason] } : {}) },
        attempts: attempts.map((attempt) =>
          attempt.reason ? { ...attempt, reasonText: REFUSAL_WORDS[attempt.reason] } : attempt,
        ),
      };
    }

    @Get('api/summary')
    async summary() {
      const { counts } = await readLog(this.log.summary(Date.now() - HOUR_MS));
      const alerts = await this.alerts();
      return {
        lastHour: counts,
        alerts: alerts.map((alert) => alert.message),
        alertList: alerts,
        log: this.log.status(),
      };
    }

    /** The failed events (inline and queued), narrowed by the filter: what a bulk replay would run. */
    @Get('api/failed')
    async failed(@Query() query: Query_) {
      const filter = filterOf(query);
      const [inline, queued] = await Promise.all([readLog(this.log.failed(filter)), this.failedJobs(filter)]);
      return { inline, queued, count: inline.length + queued.length };
    }

    @Post('api/replay/:seq')
    @HttpCode(200)
    async replay(@Param('seq') seq: string, @Req() request: unknown) {
      const stored = await readLog(this.log.rawOf(seq));
      if (!stored) throw new NotFoundException('No replayable delivery with that number');
      return replayContext.run({ of: seq, by: this.operatorOf(request) }, () =>
        this.receiver.replay(stored.provider, stored.raw, stored.tenant, stored.id),
      );
    }

    @Post('api/replay-queued/:jobId')
    @HttpCode(200)
    async replayQueued(@Param('jobId') jobId: string, @Req() request: unknown) {
      const job = this.queue ? (await this.queue.listFailed()).find((j) => j.jobId === jobId) : undefined;
      if (!this.queue || !job || !(await this.queue.replayFailed(jobId))) {
        throw new NotFoundException('No failed job with that id');
      }
      await this.recordQueuedReplay(job, this.operatorOf(request));
      return { replayed: true };
    }

    /**
     * Replays every failed event the filter matches, once the operator confirmed how many: when
     * `expect` is not the number that matches now, nothing is replayed (409). Each outcome is
     * reported.
     */
    @Post('api/replay-matching')
    @HttpCode(200)
    async replayMatching(@Body() body: unknown, @Req() request: unknown) {
      const { filter = {}, expect } = (body ?? {}) as { filter?: Query_; expect?: unknown };
      if (typeof expect !== 'number') throw new BadRequestException('Give expect: the count you confirmed');
      const wanted = filterOf(filter);
      const inline = await readLog(this.log.failed(wanted));
      const queued = await this.failedJobs(wanted);
      if (inline.length + queued.length !== expect) {
        throw new ConflictException(
          `${count(inline.length + queued.length, 'failed event', 'failed events')} match now, not ${expect}: look again and confirm`,
        );
      }
      return this.replayEach(inline, queued, this.operatorOf(request));
    }

    /** Replays every failed event; reports each one that failed again. */
    @Post('api/replay-all')
    @HttpCode(200)
    async replayAll(@Req() request: unknown) {
      const inline = await readLog(this.log.failed());
      return this.replayEach(inline, await this.failedJobs({}), this.operatorOf(request));
    }

    private async replayEach(inline: FaceDeliveryRecord[], queued: FailedQueuedEvent[], by: string) {
      const results: ReplayResult[] = [];
      for (const record of inline) {
        const stored = await this.log.rawOf(record.seq).catch(() => undefined);
        if (!stored) {
          results.push({
            seq: record.seq,
            id: record.id,
            ok: false,
            outcome: 'gone',
            message: 'Its body is no longer in the log',
          });
          continue;
        }
        await replayContext
          .run({ of: record.seq, by }, () =>
            this.receiver.replay(stored.provider, stored.raw, stored.tenant, stored.id),
          )
          .then(
            (ack) =>
              results.push({
                seq: record.seq,
                id: record.id,
                ok: true,
                outcome: ack.duplicate ? 'duplicate' : ack.queued ? 'queued' : 'accepted',
              }),
            (error: unknown) =>
              results.push({
                seq: record.seq,
                id: record.id,
                ok: false,
                outcome: 'failed',
                message: firstLine(error),
              }),
          );
      }
      for (const job of queued) {
        const ok = await this.queue!.replayFailed(job.jobId).catch(() => false);
        if (ok) await this.recordQueuedReplay(job, by);
        results.push({
          jobId: job.jobId,
          id: job.id,
          ok,
          outcome: ok ? 'queued' : 'failed',
          ...(ok ? {} : { message: 'Not in the failed set any more, or the queue cannot be reached' }),
        });
      }
      const replayed = results.filter((result) => result.ok).length;
      const errors = results
        .filter((result) => !result.ok)
        .map((result) => `${result.id ?? result.seq ?? result.jobId}: ${result.message}`);
      return { replayed, failed: results.length - replayed, results, errors };
    }

    /** A queued replay is an attempt of the delivery that queued the event. */
    private async recordQueuedReplay(job: FailedQueuedEvent, by: string): Promise<void> {
      const entries = await this.log.entries().catch(() => []);
      const origin = entries.find(
        (record) => !record.replayOf && record.provider === job.provider && record.id === job.id,
      );
      this.log.recordAttempt({
        provider: job.provider,
        type: job.type,
        id: job.id,
        outcome: 'queued',
        durationMs: 0,
        message: `Failed job ${job.jobId} sent back to the workers`,
        ...(origin ? { replayOf: origin.seq, tenant: origin.tenant } : {}),
        replayedBy: by,
        replayMode: 'queued',
      });
    }

    private async failedJobs(filter: FaceDeliveryFilter): Promise<FailedQueuedEvent[]> {
      if (!this.queue) return [];
      const jobs = await this.queue.listFailed().catch(() => [] as readonly FailedQueuedEvent[]);
      return jobs.filter(
        (job) =>
          (!filter.provider || job.provider === filter.provider) &&
          (!filter.outcome || filter.outcome === 'failed') &&
          !filter.reason &&
          !filter.tenant &&
          (!filter.q || job.id.includes(filter.q) || job.jobId === filter.q) &&
          (filter.since === undefined || (job.failedAt?.getTime() ?? 0) >= filter.since) &&
          (filter.until === undefined || (job.failedAt?.getTime() ?? 0) <= filter.until),
      );
    }

    private operatorOf(request: unknown): string {
      const named = options.operatorOf ? options.operatorOf(request) : basicUser(request);
      return (named ?? 'operator').slice(0, 100);
    }

    /**
     * What an operator must see at once, while its cause lasts: a provider whose deliveries are
     * all refused (a secret rotated on one side only), and failed events waiting for a replay.
     */
    private async alerts(): Promise<Alert[]> {
      const recent = await readLog(this.log.summary(Date.now() - ALERT_WINDOW_MS));
      const alerts: Alert[] = refusalAlerts(recent, options.refusalAlertThreshold ?? 50);
      const failed = new Map<string, number>();
      for (const record of await readLog(this.log.failed())) {
        failed.set(record.provider, (failed.get(record.provider) ?? 0) + 1);
      }
      for (const job of await this.failedJobs({}))
        failed.set(job.provider, (failed.get(job.provider) ?? 0) + 1);
      for (const [provider, n] of failed) {
        alerts.push({
          key: `failed:${provider}`,
          kind: 'failed',
          provider,
          count: n,
          message: `${provider}: ${count(n, 'event', 'events')} failed in a handler and ${n === 1 ? 'waits' : 'wait'} for a replay.`,
        });
      }
      return alerts;
    }

    /** Tells `onAlert` of alerts raised or grown since the last check, and of those cleared. */
    async checkAlerts(): Promise<void> {
      const notify = options.onAlert!;
      let current: Alert[];
      try {
        current = await this.alerts();
      } catch {
        return; // The log cannot be read: the page says so; no alert is cleared for it.
      }
      const at = new Date().toISOString();
      const send = (alert: FaceWebhooksConsoleAlert) =>
        Promise.resolve()
          .then(() => notify(alert))
          .catch((error: unknown) => this.logger.error(`console.onAlert failed: ${firstLine(error)}`));
      const seen = new Set<string>();
      for (const alert of current) {
        seen.add(alert.key);
        const before = this.told.get(alert.key);
        this.told.set(alert.key, alert);
        if (!before || alert.count > before.count) await send({ ...alert, state: 'raised', at });
      }
      for (const [key, alert] of this.told) {
        if (seen.has(key)) continue;
        this.told.delete(key);
        await send({ ...alert, state: 'cleared', at, message: `Cleared: ${alert.message}` });
      }
    }
  }
  return FaceWebhooksConsoleController;
}

/**
 * A queued delivery whose job is in the queue's failed set: last outcome `failed`, and the worker's
 * message (each failed handler and its error) as its answer.
 */
function withQueuedFailure<T extends FaceDeliveryRow>(row: T, failures: Map<string, FailedQueuedEvent>): T {
  if (row.outcome !== 'queued' || row.id === undefined) return row;
  const job = failures.get(`${row.provider}\u0000${row.id}`);
  if (!job) return row;
  return { ...row, lastOutcome: 'failed', message: job.failedReason };
}

function refusalAlerts(recent: FaceDeliverySummary, threshold: number): Alert[] {
  const alerts: Alert[] = [];
  for (const [provider, byOutcome] of Object.entries(recent.counts)) {
    const refused = byOutcome.rejected ?? 0;
    const settled = (byOutcome.accepted ?? 0) + (byOutcome.duplicate ?? 0) + (byOutcome.queued ?? 0);
    if (refused > 0 && (settled === 0 || refused >= threshold)) {
      const reasons = Object.entries(recent.refusals[provider] ?? {})
        .sort((a, b) => b[1] - a[1])
        .map(([reason, n]) => `${reason} ×${n}`)
        .join(', ');
      alerts.push({
        key: `refusals:${provider}`,
        kind: 'refusals',
        provider,
        count: refused,
        message:
          settled === 0
            ? `${provider}: ${count(refused, 'delivery', 'deliveries')} refused and none accepted in the last 5 minutes (${reasons}). ` +
              'Was a secret rotated on one side only?'
            : `${provider}: ${count(refused, 'delivery', 'deliveries')} refused in the last 5 minutes, ${settled} accepted (${reasons}). ` +
              'Someone probing the route, or a secret rotated on one instance only?',
      });
    }
  }
  return alerts;
}

/** "1 delivery", "2 deliveries". */
export const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function text(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;
}

function time(value: unknown): number | undefined {
  const raw = text(value, 40);
  if (raw === undefined) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The filter of a query string (or a bulk replay's body). */
function filterOf(query: Query_): FaceDeliveryFilter {
  return {
    provider: text(query.provider, 100),
    outcome: text(query.outcome, 40),
    reason: text(query.reason, 60),
    tenant: text(query.tenant, 200),
    since: time(query.since),
    until: time(query.until),
    q: text(query.q),
  };
}

function basicUser(request: unknown): string | undefined {
  const header = (request as { headers?: Record<string, unknown> }).headers?.authorization;
  if (typeof header !== 'string' || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user || undefined;
}

/** A log that cannot be read (Redis down) is a 503 with a reason, not a bare 500. */
async function readLog<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    throw new ServiceUnavailableException(`The delivery log cannot be read: ${firstLine(error)}`);
  }
}

const firstLine = (error: unknown): string => stackOf(error).split('\n')[0]!.slice(0, 200);
