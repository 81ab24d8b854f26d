import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/** The OpenTelemetry SDK of the sample app, as an app wires it: the library only uses the API. */
export interface SampleTelemetry {
  /** Every metric, as Prometheus text (what `GET /metrics` serves). */
  prometheusText(): Promise<string>;
  /** Whether spans are exported (OTEL_EXPORTER_OTLP_ENDPOINT is set). */
  readonly tracing: boolean;
  shutdown(): Promise<void>;
}

let started: SampleTelemetry | undefined;

/**
 * Starts the SDK once per process, before the Nest app is created (the library makes its
 * instruments when its module initialises). Metrics: a Prometheus reader that the app's own
 * `/metrics` route serves, not a second port. Traces: exported over OTLP/HTTP when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (the exporter reads the standard OTEL_* variables).
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): SampleTelemetry {
  if (started) return started;
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [prometheus] });
  metrics.setGlobalMeterProvider(meterProvider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  let tracerProvider: TracerProvider | undefined;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    tracerProvider = new TracerProvider({
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
    });
    trace.setGlobalTracerProvider(tracerProvider);
  }
  const serializer = new PrometheusSerializer();
  started = {
    tracing: tracerProvider !== undefined,
    async prometheusText() {
      const { resourceMetrics } = await prometheus.collect();
      return serializer.serialize(resourceMetrics);
    },
    async shutdown() {
      await Promise.all([meterProvider.shutdown(), tracerProvider?.shutdown()]);
    },
  };
  return started;
}
