import { createHash, randomUUID } from 'node:crypto';
import { Injectable, type INestApplication } from '@nestjs/common';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  type AnyFaceEvent,
  type FaceWebhooksModuleOptions,
} from 'nestjs-face-webhooks';
import { FailedFaceEvents } from 'nestjs-face-webhooks/queue';
import {
  faceioFixture,
  faceSignFixture,
  signFaceioRequest,
  signFaceSignRequest,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { ADAPTERS, createTestApp, type AdapterName } from './support/create-app.js';
import { RedisServer } from './support/redis-server.js';
import { acrossRedisTargets, redisConnection } from './support/redis-targets.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'delivery-token';
const FACESIGN_SECRET = 'whsec_delivery';

/** Counts handler runs per event id; `failFirst` makes the first N runs of an event throw. */
@Injectable()
class CountingHandlers {
  readonly runs = new Map<string, number>();
  readonly handled = new Map<string, number>();
  failFirst = 0;
  alwaysFail = false;
  delayMs = 0;

  @OnFaceEvent('**')
  async handle(event: AnyFaceEvent): Promise<void> {
    const run = (this.runs.get(event.id) ?? 0) + 1;
    this.runs.set(event.id, run);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.alwaysFail || run <= this.failFirst)
      throw new Error(`run ${run} of ${event.id} fails on purpose`);
    this.handled.set(event.id, (this.handled.get(event.id) ?? 0) + 1);
  }
}

/** A second handler of every event, which always succeeds: it must run once even when the other fails. */
@Injectable()
class AuditHandlers {
  readonly runs = new Map<string, number>();

  @OnFaceEvent('**')
  audit(event: AnyFaceEvent): void {
    this.runs.set(event.id, (this.runs.get(event.id) ?? 0) + 1);
  }
}

const faceioDelivery = (facialId: string) =>
  signFaceioRequest({ token: TOKEN, body: faceioFixture('ENROLL', { facialId }) });
const post = (
  app: INestApplication,
  path: string,
  signed: { headers: Record<string, string>; body: string },
) => request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);

async function startApp(
  adapter: AdapterName,
  options: FaceWebhooksModuleOptions,
  extras: Parameters<typeof FaceWebhooksModule.forRoot>[0] = {},
) {
  const { app, logger } = await createTestApp({
    adapter,
    imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN }, ...options, ...extras })],
    providers: [CountingHandlers, AuditHandlers],
  });
  return { app, logger, handlers: app.get(CountingHandlers), audit: app.get(AuditHandlers) };
}

describe.each(acrossRedisTargets(ADAPTERS))('two instances sharing Redis (%s, %s)', (adapter, target) => {
  it('run the handlers of an event sent to both at once exactly once, every time', async () => {
    const options: FaceWebhooksModuleOptions = {
      redis: redisConnection(target),
      redisKeyPrefix: `multi-${randomUUID()}:`,
      deduplicationStore: 'redis',
    };
    const one = await startApp(adapter, options);
    const two = await startApp(adapter, options);
    one.handlers.delayMs = two.handlers.delayMs = 20; // keep the winner in flight while the copies arrive
    try {
      const events = Array.from({ length: 40 }, (_, i) => faceioDelivery(`multi-${i}`));
      const responses = await Promise.all(
        events.flatMap((signed) =>
          [one.app, two.app, one.app, two.app].map((app) => post(app, '/webhooks/faceio', signed)),
        ),
      );
      const handledTotal = (id: string) =>
        (one.handlers.handled.get(id) ?? 0) + (two.handlers.handled.get(id) ?? 0);
      const ids = [...new Set([...one.handlers.runs.keys(), ...two.handlers.runs.keys()])];
      expect(ids).toHaveLength(40);
      for (const id of ids) expect(handledTotal(id)).toBe(1);
      // One copy of each event was acknowledged as handled; the others were told to retry or were duplicates.
      expect(responses.filter((res) => res.status === 200 && !res.body.duplicate)).toHaveLength(40);
      for (const res of responses) expect([200, 503]).toContain(res.status);

      // A provider retry of any of them, to either instance, is now a duplicate.
      for (const signed of events.slice(0, 5)) {
        expect((await post(two.app, '/webhooks/faceio', signed)).body).toEqual({
          received: true,
          duplicate: true,
        });
      }
    } finally {
      await one.app.close();
      await two.app.close();
    }
  });

  it('run only the failed handler when the retry of a partly failed event reaches the other one', async () => {
    const options: FaceWebhooksModuleOptions = {
      redis: redisConnection(target),
      redisKeyPrefix: `partial-${randomUUID()}:`,
      deduplicationStore: 'redis',
    };
    const one = await startApp(adapter, options);
    const two = await startApp(adapter, options);
    try {
      one.handlers.failFirst = 1;
      const signed = faceioDelivery('partial-1');
      const id = createHash('sha256').update(signed.body).digest('hex');
      expect((await post(one.app, '/webhooks/faceio', signed)).status).toBe(500);
      expect(one.audit.runs.get(id)).toBe(1);

      const retry = await post(two.app, '/webhooks/faceio', signed);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ received: true });
      expect(two.handlers.handled.get(id)).toBe(1);
      expect(two.audit.runs.get(id)).toBeUndefined();
      expect((await post(one.app, '/webhooks/faceio', signed)).body).toEqual({
        received: true,
        duplicate: true,
      });
    } finally {
      await one.app.close();
      await two.app.close();
    }
  });
});

/** A handler class named `Handlers`: two of them share a name, as classes in two modules may. */
function handlersNamedAlike(runs: string[], label: string, failFirst: number) {
  @Injectable()
  class Handlers {
    private calls = 0;

    @OnFaceEvent('faceio.ENROLL')
    handle(): void {
      if (++this.calls <= failFirst) throw new Error(`${label} fails on purpose`);
      runs.push(label);
    }
  }
  return Handlers;
}

describe.each(ADAPTERS)('handlers with the same name (%s)', (adapter) => {
  it('are told apart, so the retry runs the one that failed, and the app is warned', async () => {
    const runs: string[] = [];
    const First = handlersNamedAlike(runs, 'first', 0);
    const Second = handlersNamedAlike(runs, 'second', 1);
    const { app, logger } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN } })],
      providers: [First, Second],
    });
    try {
      const signed = faceioDelivery('same-name');
      expect((await post(app, '/webhooks/faceio', signed)).status).toBe(500);
      expect(runs).toEqual(['first']);
      expect((await post(app, '/webhooks/faceio', signed)).status).toBe(200);
      expect(runs).toEqual(['first', 'second']);
      expect(logger.find('warn', 'Two @OnFaceEvent handlers are named Handlers.handle')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe.each(acrossRedisTargets(ADAPTERS))('queued delivery (%s, %s)', (adapter, target) => {
  let app: INestApplication;
  let handlers: CountingHandlers;
  let audit: AuditHandlers;
  let logger: Awaited<ReturnType<typeof startApp>>['logger'];

  beforeAll(async () => {
    ({ app, handlers, audit, logger } = await startApp(
      adapter,
      {
        redis: redisConnection(target),
        redisKeyPrefix: `queued-${randomUUID()}:`,
        deduplicationStore: 'redis',
        facesign: { secret: FACESIGN_SECRET, delivery: 'inline' },
        worker: { attempts: 3, backoffDelayMs: 20 },
      },
      { queue: true },
    ));
  });
  afterAll(() => app.close());
  beforeEach(() => {
    handlers.failFirst = 0;
    handlers.alwaysFail = false;
  });

  it('acknowledges with 202 once queued, then a worker runs the handlers', async () => {
    const signed = faceioDelivery('queued-1');
    const res = await post(app, '/webhooks/faceio', signed);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: true, queued: true });
    const id = createHash('sha256').update(signed.body).digest('hex');
    await waitFor('the queued event to be handled', () => handlers.handled.get(id) === 1);
  });

  it('answers a re-delivery as a duplicate without queueing it again', async () => {
    const signed = faceioDelivery('queued-2');
    expect((await post(app, '/webhooks/faceio', signed)).status).toBe(202);
    expect((await post(app, '/webhooks/faceio', signed)).body).toEqual({ received: true, duplicate: true });
    await waitFor('the event to be handled', () => handlers.handled.size >= 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Math.max(...handlers.handled.values())).toBe(1);
  });

  it('retries failing handlers with backoff and logs each failure with type, id and attempt', async () => {
    handlers.failFirst = 2;
    const signed = faceioDelivery('queued-retry');
    expect((await post(app, '/webhooks/faceio', signed)).status).toBe(202);
    await waitFor('the third attempt to succeed', () =>
      [...handlers.runs.entries()].some(([id, runs]) => runs === 3 && handlers.handled.get(id) === 1),
    );
    const failures = logger.find('error', 'failed for faceio.ENROLL', 'attempt');
    expect(failures.some((line) => line.includes('attempt 1 of 3'))).toBe(true);
    expect(failures.some((line) => line.includes('attempt 2 of 3'))).toBe(true);
    // The other handler finished in the first attempt; the retries did not run it again.
    const id = createHash('sha256').update(signed.body).digest('hex');
    expect(audit.runs.get(id)).toBe(1);
  });

  it('keeps an event whose handler always fails in the failed set, and replays it', async () => {
    handlers.alwaysFail = true;
    const failed = app.get(FailedFaceEvents);
    const signed = faceioDelivery(`queued-fails-${randomUUID()}`);
    expect((await post(app, '/webhooks/faceio', signed)).status).toBe(202);
    let entry: Awaited<ReturnType<FailedFaceEvents['list']>>[number] | undefined;
    await waitFor('the event to reach the failed set', async () => {
      entry = (await failed.list()).find((item) => handlers.runs.get(item.id) === 3);
      return entry !== undefined;
    });
    expect(entry).toMatchObject({ provider: 'faceio', type: 'faceio.ENROLL', attemptsMade: 3 });
    // The failed set (and Bull Board, and the console) names the handler and its error.
    expect(entry!.failedReason).toBe(
      `1 handler failed for faceio.ENROLL ${entry!.id}: CountingHandlers.handle: run 3 of ${entry!.id} fails on purpose`,
    );
    expect(handlers.handled.get(entry!.id)).toBeUndefined();

    handlers.alwaysFail = false;
    expect(await failed.replay(entry!.jobId)).toBe(true);
    await waitFor('the replayed event to be handled', () => handlers.handled.get(entry!.id) === 1);
    expect((await failed.list()).some((item) => item.jobId === entry!.jobId)).toBe(false);
    expect(await failed.replay('no-such-job')).toBe(false);
  });

  it('lets providers choose their mode: FaceSign inline next to FACEIO queued', async () => {
    const signed = signFaceSignRequest({ secret: FACESIGN_SECRET, body: faceSignFixture('session.status') });
    const res = await post(app, '/webhooks/facesign', signed);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(handlers.handled.get(JSON.parse(signed.body).id)).toBe(1); // handled before the response
  });
});

describe.each(ADAPTERS)('Redis unavailable (%s)', (adapter) => {
  it('answers 503 and calls no handler while Redis is down, then handles the retry once it is back', async () => {
    const redis = await RedisServer.start();
    const { app, handlers } = await startApp(
      adapter,
      { redis: redis.url, deduplicationStore: 'redis', worker: { attempts: 2, backoffDelayMs: 20 } },
      { queue: true },
    );
    try {
      expect((await post(app, '/webhooks/faceio', faceioDelivery('before-outage'))).status).toBe(202);
      await waitFor('the first event', () => handlers.handled.size === 1);

      await redis.stop();
      const signed = faceioDelivery('during-outage');
      const refused = await post(app, '/webhooks/faceio', signed);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(handlers.runs.size).toBe(1); // no handler ran for the refused delivery

      await redis.start();
      // The provider retries until the store and the queue are reachable again.
      await waitFor(
        'a retry to be accepted',
        async () => (await post(app, '/webhooks/faceio', signed)).status === 202,
        15_000,
      );
      await waitFor('the retried event to be handled', () => handlers.handled.size === 2, 15_000);
      expect([...handlers.handled.values()]).toEqual([1, 1]);
    } finally {
      await app.close();
      await redis.stop();
    }
  }, 40_000);
});

describe.each(ADAPTERS)('graceful shutdown (%s)', (adapter) => {
  it('stops acknowledging new deliveries and lets the ones in flight finish', async () => {
    const { app, handlers } = await startApp(adapter, {});
    handlers.delayMs = 400;
    const server = app.getHttpServer();
    server.listen(0); // keep the server open across close(): supertest would open its own
    // .then() sends it now (supertest sends lazily).
    const inFlight = post(app, '/webhooks/faceio', faceioDelivery('in-flight-at-shutdown')).then(
      (res) => res,
    );
    await waitFor('the delivery to be in flight', () => handlers.runs.size === 1);
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = await post(app, '/webhooks/faceio', faceioDelivery('after-sigterm'));
    expect(late.status).toBe(503);
    expect((await inFlight).status).toBe(200);
    await closing;
    expect([...handlers.handled.values()]).toEqual([1]);
  });
});
