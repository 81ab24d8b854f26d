// The cost of the library's telemetry per delivery: one delivery span, one handler span, the
// delivery counter and the two duration histograms, as the receiver and dispatcher make them.
// Run without an OpenTelemetry SDK (every call the API's no-op), then with the SDK registered
// (always sampled, spans batched to an exporter that drops them, metrics kept for a reader).
//   npm run build:lib && node bench/telemetry.mjs
import 'reflect-metadata';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { FaceWebhooksTelemetry } from '../libs/face-webhooks/dist/observability/face-webhooks.telemetry.js';

const N = Number(process.env.DELIVERIES ?? 200_000);
const ack = { received: true };
const event = { type: 'faceio.ENROLL', id: 'x' };
const handlerSpan = {
  attributes: {
    'face_webhooks.handler': 'EnrollmentsService.onEnroll',
    'face_webhooks.event.type': event.type,
    'face_webhooks.event.id': event.id,
  },
};

async function withoutTelemetry() {
  for (let i = 0; i < N; i++) await (async () => ack)();
}

async function withTelemetry(telemetry) {
  for (let i = 0; i < N; i++) {
    await telemetry.traceDelivery('faceio', async (details) => {
      details.event = event; // its type and id become the delivery span's attributes
      const started = performance.now();
      await telemetry.inSpan('face_webhooks.handler', handlerSpan, async (handler) => {
        FaceWebhooksTelemetry.end(handler, 'accepted');
      });
      telemetry.recordHandler('faceio', 'EnrollmentsService.onEnroll', false, started);
      return ack;
    });
  }
}

async function measure(label) {
  const telemetry = new FaceWebhooksTelemetry();
  telemetry.onModuleInit();
  const costs = [];
  for (let round = 0; round < 3; round++) {
    let start = performance.now();
    await withoutTelemetry();
    const plain = performance.now() - start;
    start = performance.now();
    await withTelemetry(telemetry);
    costs.push(((performance.now() - start - plain) * 1000) / N);
  }
  costs.sort((a, b) => a - b);
  console.log(
    `${label}: +${costs[1].toFixed(2)} µs per delivery (median of 3; ${costs.map((c) => c.toFixed(2)).join(', ')})`,
  );
}

await measure('no SDK (the API alone)');

const drop = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
trace.setGlobalTracerProvider(
  new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: drop })] }),
);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
metrics.setGlobalMeterProvider(
  new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(0),
        exportIntervalMillis: 60_000,
      }),
    ],
  }),
);
await measure('SDK registered (traces always sampled, metrics kept)');
process.exit(0);
