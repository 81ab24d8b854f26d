import { randomBytes } from 'node:crypto';
import {
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Optional,
  Param,
  Post,
  Query,
  Res,
  ServiceUnavailableException,
  type Type,
  UseGuards,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { FaceEventQueue } from '../contracts/face-event-queue.interface.js';
import { FaceWebhookReceiver } from '../pipeline/face-webhook.receiver.js';
import { stackOf } from '../pipeline/delivery.js';
import { consolePageCsp, createConsoleAccessGuard, setHeader } from './console-access.guard.js';
import { consolePage } from './console.page.js';
import { FaceDeliveryLog, type FaceDeliverySummary } from './face-delivery-log.js';
import type { FaceWebhooksConsoleOptions } from './face-webhooks-console.options.js';

const HOUR_MS = 3_600_000;
const ALERT_WINDOW_MS = 5 * 60_000;

/**
 * Builds the console's controller at the app's chosen path, behind the console's checks and the
 * app's guard. Pages and JSON only show what the delivery log holds: no secret, signature or body.
 */
export function createFaceWebhooksConsoleController(options: FaceWebhooksConsoleOptions): Type<unknown> {
  const guards = [createConsoleAccessGuard(options), ...(options.guard ? [options.guard] : [])];

  @Controller({ path: options.path.replace(/^\/+|\/+$/g, ''), version: VERSION_NEUTRAL })
  @UseGuards(...guards)
  class FaceWebhooksConsoleController {
    constructor(
      @Inject(FaceDeliveryLog) private readonly log: FaceDeliveryLog,
      @Inject(FaceWebhookReceiver) private readonly receiver: FaceWebhookReceiver,
      @Optional() @Inject(FaceEventQueue) private readonly queue?: FaceEventQueue,
    ) {}

    @Get()
    @Header('Content-Type', 'text/html; charset=utf-8')
    page(@Res({ passthrough: true }) response: unknown): string {
      const nonce = randomBytes(18).toString('base64');
      setHeader(response, 'Content-Security-Policy', consolePageCsp(nonce));
      return consolePage(nonce);
    }

    @Get('api/deliveries')
    async deliveries(@Query('q') query?: unknown) {
      const q = typeof query === 'string' && query.length > 0 ? query.slice(0, 200) : undefined;
      return { deliveries: await readLog(this.log.recent(200, q)) };
    }

    @Get('api/summary')
    async summary() {
      const { counts } = await readLog(this.log.summary(Date.now() - HOUR_MS));
      const recent = await readLog(this.log.summary(Date.now() - ALERT_WINDOW_MS));
      return { lastHour: counts, alerts: alertsOf(recent) };
    }

    @Get('api/failed')
    async failed() {
      const queued = this.queue ? await this.queue.listFailed().catch(() => []) : [];
      return { inline: await readLog(this.log.failed()), queued };
    }

    @Post('api/replay/:seq')
    @HttpCode(200)
    async replay(@Param('seq') seq: string) {
      const stored = await readLog(this.log.rawOf(seq));
      if (!stored) throw new NotFoundException('No replayable delivery with that number');
      return this.receiver.replay(stored.provider, stored.raw, stored.tenant, stored.id);
    }

    @Post('api/replay-queued/:jobId')
    @HttpCode(200)
    async replayQueued(@Param('jobId') jobId: string) {
      if (!this.queue || !(await this.queue.replayFailed(jobId))) {
        throw new NotFoundException('No failed job with that id');
      }
      return { replayed: true };
    }

    @Post('api/replay-all')
    @HttpCode(200)
    async replayAll() {
      let replayed = 0;
      const errors: string[] = [];
      for (const record of await readLog(this.log.failed())) {
        const stored = await readLog(this.log.rawOf(record.seq));
        if (!stored) continue;
        await this.receiver.replay(stored.provider, stored.raw, stored.tenant, stored.id).then(
          () => replayed++,
          (error: unknown) =>
            errors.push(`${record.type ?? record.provider} ${record.id}: ${firstLine(error)}`),
        );
      }
      for (const job of this.queue ? await this.queue.listFailed().catch(() => []) : []) {
        if (await this.queue!.replayFailed(job.jobId)) replayed++;
      }
      return { replayed, errors };
    }
  }
  return FaceWebhooksConsoleController;
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

/**
 * What an operator must see at once: a provider whose deliveries are all refused (a secret rotated
 * on one side only), and handlers failing.
 */
function alertsOf(recent: FaceDeliverySummary): string[] {
  const alerts: string[] = [];
  for (const [provider, byOutcome] of Object.entries(recent.counts)) {
    const refused = byOutcome.rejected ?? 0;
    const settled = (byOutcome.accepted ?? 0) + (byOutcome.duplicate ?? 0) + (byOutcome.queued ?? 0);
    if (refused > 0 && settled === 0) {
      const reasons = Object.entries(recent.refusals[provider] ?? {})
        .sort((a, b) => b[1] - a[1])
        .map(([reason, count]) => `${reason} ×${count}`)
        .join(', ');
      alerts.push(
        `${provider}: ${refused} deliveries refused and none accepted in the last 5 minutes (${reasons}). ` +
          'Was a secret rotated on one side only?',
      );
    }
    if (byOutcome.failed) {
      alerts.push(`${provider}: ${byOutcome.failed} deliveries failed in a handler in the last 5 minutes.`);
    }
  }
  return alerts;
}
