import { AsyncLocalStorage } from 'node:async_hooks';
import { HttpException, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  context,
  createNoopMeter,
  isSpanContextValid,
  metrics,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Meter,
  type ObservableResult,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import type {
  DeliveryAck,
  FaceDeliveryNote,
  FaceDeliveryOutcome,
  FaceHandlerRun,
} from '../contracts/face-delivery-outcome.js';
import type { FaceEvent } from '../contracts/face-event.interface.js';
import { outcomeOfError } from './delivery-outcome.js';
import { FaceWebhookRefusedException } from '../contracts/face-webhook-refused.exception.js';
import type { FaceWebhookRefusalReason } from '../contracts/refusal-reason.js';

/** Attribute names, as in the tables of docs/operations.md. */
export const ATTR = {
  provider: 'face_webhooks.provider',
  eventType: 'face_webhooks.event.type',
  eventId: 'face_webhooks.event.id',
  tenant: 'face_webhooks.tenant',
  outcome: 'face_webhooks.outcome',
  reason: 'face_webhooks.reason',
  handler: 'face_webhooks.handler',
  attempt: 'face_webhooks.job.attempt',
  jobState: 'face_webhooks.job.state',
} as const;

const SCOPE = 'nestjs-face-webhooks';

/** The details of the delivery being handled, while a listener wants them (the handlers it ran). */
const currentDelivery = new AsyncLocalStorage<DeliveryDetails>();

/** The first line of an error's message, at most 300 characters. */
export const firstLineOf = (error: unknown): string => {
  const response = error instanceof HttpException ? error.getResponse() : undefined;
  const text =
    typeof response === 'object' && response && 'message' in response
      ? String((response as { message: unknown }).message)
      : error instanceof Error
        ? error.message
        : String(error);
  return text.split('\n')[0]!.slice(0, 300);
};

/**
 * Tells the delivery being handled (if a listener wants its details) why its handlers failed: the
 * event settler calls it with the failures of an inline run.
 */
export function noteHandlerFailures(failures: readonly { handler: string; error?: unknown }[]): void {
  const details = currentDelivery.getStore();
  if (!details) return;
  for (const failure of failures) (details.handlerErrors ??= new Map()).set(failure.handler, failure.error);
}

/** The class of the API's no-op meter, the one `metrics.getMeter()` gives when no SDK is registered. */
const NoopMeter = createNoopMeter().constructor;

/**
 * The active context with `span` in it, for work that should be its children; undefined for the
 * API's no-op span (no SDK registered and no trace to join), which records nothing and could be no
 * child's parent: the active context then stays as it is rather than be copied for it.
 */
function contextWith(span: Span): Context | undefined {
  if (!span.isRecording() && !isSpanContextValid(span.spanContext())) return undefined;
  return trace.setSpan(context.active(), span);
}

/**
 * The library's OpenTelemetry instruments, through `@opentelemetry/api` only: the application
 * installs and starts the SDK and its exporters (before creating the Nest app). Without an SDK
 * every call is the API's no-op.
 */
@Injectable()
export class FaceWebhooksTelemetry implements OnModuleInit {
  readonly tracer = trace.getTracer(SCOPE);
  /** Made by onModuleInit; null when the meter is the API's no-op one, whose calls record nothing. */
  private instruments?: ReturnType<typeof createInstruments> | null;

  /** Who hears of every finished delivery (the console's log, when the console is on). */
  private readonly listeners: ((note: FaceDeliveryNote) => void)[] = [];

  /**
   * Calls `listener` with every delivery once it is answered: its verified body and its request
   * headers, credentials included, which the listener keeps only if it must (the console's log
   * keeps the headers masked). A listener must not throw or wait.
   */
  onDelivery(listener: (note: FaceDeliveryNote) => void): void {
    this.listeners.push(listener);
  }

  /** Instruments are made here, after the app's SDK (started before the app) has registered. */
  onModuleInit(): void {
    if (this.instruments !== undefined) return;
    const meter = metrics.getMeter(SCOPE);
    this.instruments = meter instanceof NoopMeter ? null : createInstruments(meter);
  }

  /**
   * Runs one delivery of `provider` in a span (a child of the active one: the HTTP server span when
   * the app has HTTP instrumentation), then ends the span and counts the delivery with its outcome.
   */
  async traceDelivery<T extends DeliveryAck>(
    provider: string,
    deliver: (details: DeliveryDetails) => Promise<T>,
  ): Promise<T> {
    const delivery = this.startDelivery(provider);
    const run = () =>
      delivery.within(async () => {
        try {
          const ack = await deliver(delivery.details);
          delivery.succeed(ack);
          return ack;
        } catch (error) {
          delivery.fail(error);
          throw error;
        }
      });
    // Handler runs are gathered only for a listener (the console's log): no cost otherwise.
    return this.listeners.length > 0 ? currentDelivery.run(delivery.details, run) : run();
  }

  /**
   * Runs `run` in a new span, active in it (its children's parent) when it is part of a trace:
   * `startActiveSpan`, without the context copy when nothing would record the span.
   */
  inSpan<T>(name: string, options: SpanOptions, run: (span: Span) => T): T {
    const span = this.tracer.startSpan(name, options);
    const active = contextWith(span);
    return active ? context.with(active, run, undefined, span) : run(span);
  }

  /**
   * Starts one delivery's span, to be ended (once) where its outcome is known: what
   * {@link traceDelivery} does around one function, for a delivery whose steps run in different
   * places (an app's own route: guard, pipe, handler).
   */
  startDelivery(provider: string): DeliveryTrace {
    const span = this.tracer.startSpan('face_webhooks.delivery', {
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR.provider]: provider },
    });
    const startedAt = performance.now();
    const active = contextWith(span);
    const delivery: DeliveryTrace = {
      details: {},
      within: (run) => (active ? context.with(active, run) : run()),
      succeed: (ack) => finish(ack.duplicate ? 'duplicate' : ack.queued ? 'queued' : 'accepted'),
      fail: (error) => {
        const { outcome, reason } = outcomeOfError(error);
        // On a tenant route, the metrics (often scraped without authentication) do not tell an
        // unknown tenant from a known one with a bad credential; spans and the console do.
        const hidden = error instanceof FaceWebhookRefusedException && error.onTenantRoute;
        finish(outcome, reason, error, hidden ? 'tenant_refused' : reason);
      },
    };
    let ended = false;
    const finish = (
      outcome: FaceDeliveryOutcome,
      reason?: FaceWebhookRefusalReason,
      error?: unknown,
      metricReason = reason,
    ) => {
      if (ended) return;
      ended = true;
      const { event, tenant } = delivery.details;
      if (active) {
        if (event) span.setAttributes({ [ATTR.eventType]: event.type, [ATTR.eventId]: event.id });
        // On spans and in the log, not on metrics: tenant ids are the sender's to make up.
        if (tenant !== undefined) span.setAttribute(ATTR.tenant, tenant);
        FaceWebhooksTelemetry.end(span, outcome, reason, error);
      }
      this.recordDelivery(provider, outcome, metricReason, startedAt);
      if (this.listeners.length > 0) {
        const { headers, handlerRuns, handlerErrors } = delivery.details;
        const handlers = handlerRuns?.map((run) =>
          handlerErrors?.has(run.handler)
            ? { ...run, error: firstLineOf(handlerErrors.get(run.handler)) }
            : run,
        );
        const note: FaceDeliveryNote = {
          provider,
          tenant,
          type: event?.type,
          id: event?.id,
          outcome,
          reason,
          durationMs: ms(startedAt),
          raw: event?.raw,
          ...(headers ? { headers } : {}),
          ...(handlers ? { handlers } : {}),
          ...(error !== undefined ? { message: firstLineOf(error) } : {}),
        };
        for (const listener of this.listeners) listener(note);
      }
    };
    return delivery;
  }

  /** Counts one delivery and its duration (from `startedAt`, a `performance.now()`). */
  recordDelivery(
    provider: string,
    outcome: FaceDeliveryOutcome,
    reason: FaceWebhookRefusalReason | undefined,
    startedAt?: number,
  ): void {
    const instruments = this.instruments;
    if (!instruments) return;
    const attributes: Attributes = { [ATTR.provider]: provider, [ATTR.outcome]: outcome };
    if (reason) attributes[ATTR.reason] = reason;
    instruments.deliveries.add(1, attributes);
    if (outcome === 'duplicate') instruments.duplicates.add(1, { [ATTR.provider]: provider });
    if (startedAt !== undefined) {
      instruments.deliveryDuration.record((performance.now() - startedAt) / 1000, attributes);
    }
  }

  recordHandler(provider: string, handler: string, failed: boolean, startedAt: number): void {
    const details = currentDelivery.getStore();
    if (details) (details.handlerRuns ??= []).push({ handler, durationMs: ms(startedAt) });
    this.instruments?.handlerDuration.record((performance.now() - startedAt) / 1000, {
      [ATTR.provider]: provider,
      [ATTR.handler]: handler,
      [ATTR.outcome]: failed ? 'failed' : 'accepted',
    });
  }

  /** An observable gauge, read by the SDK's metric reader when it collects. */
  observe(
    name: string,
    description: string,
    unit: string,
    read: (result: ObservableResult) => void | Promise<void>,
  ): void {
    this.onModuleInit();
    // Without an SDK's meter nothing would ever read the gauge.
    this.instruments?.meter.createObservableGauge(name, { description, unit }).addCallback(read);
  }

  /** Ends a delivery or handler span with its outcome (and error). */
  static end(
    span: Span,
    outcome: FaceDeliveryOutcome,
    reason?: FaceWebhookRefusalReason,
    error?: unknown,
  ): void {
    span.setAttribute(ATTR.outcome, outcome);
    if (reason) span.setAttribute(ATTR.reason, reason);
    if (outcome === 'failed' || outcome === 'retry-later') {
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    }
    span.end();
  }

  /** The current trace context, as W3C headers, to travel with a queued job. */
  static carrier(): Record<string, string> | undefined {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return Object.keys(carrier).length > 0 ? carrier : undefined;
  }

  /** The trace context a job carried (the delivery's span), to continue its trace. */
  static extract(carrier: Record<string, string> | undefined) {
    return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  }
}

/** The buckets OpenTelemetry's HTTP semantic conventions advise for durations in seconds. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** One delivery being traced: its span's context, and the two ways it ends (the first call wins). */
export interface DeliveryTrace {
  readonly details: DeliveryDetails;
  /** Runs `run` with the delivery's span active, so that spans `run` starts are its children. */
  within<T>(run: () => T): T;
  succeed(ack: DeliveryAck): void;
  fail(error: unknown): void;
}

/** What the receiver learns of a delivery as it goes, for the delivery log. */
export interface DeliveryDetails {
  /** The validated event, once there is one (its raw body is what a replay runs again). */
  event?: FaceEvent;
  /** The route's tenant, known before the event is. */
  tenant?: string;
  /** The request's headers, for the delivery log (which masks credentials). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** The handlers that ran inline, gathered while a listener wants them. */
  handlerRuns?: FaceHandlerRun[];
  /** Why handlers failed, by handler name. */
  handlerErrors?: Map<string, unknown>;
}

const ms = (startedAt: number): number => Math.round((performance.now() - startedAt) * 10) / 10;

function createInstruments(meter: Meter) {
  return {
    meter,
    deliveries: meter.createCounter('face_webhooks.deliveries', {
      description: 'Webhook deliveries received, by provider, outcome and refusal reason',
      unit: '{delivery}',
    }),
    duplicates: meter.createCounter('face_webhooks.duplicates', {
      description: 'Deliveries that repeated an event already handled or queued',
      unit: '{delivery}',
    }),
    deliveryDuration: meter.createHistogram('face_webhooks.delivery.duration', {
      description: 'Time from the body being read to the answer, per delivery',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    handlerDuration: meter.createHistogram('face_webhooks.handler.duration', {
      description: 'Time one @OnFaceEvent handler took for one event',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
  };
}

export { SpanKind };
export type { DeliveryAck, FaceDeliveryOutcome };
