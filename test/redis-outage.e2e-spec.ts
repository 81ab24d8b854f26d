import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, type INestApplication } from '@nestjs/common';
import { FaceWebhooksModule, OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';
import { faceSignFixture, signFaceSignRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RedisServer } from './support/redis-server.js';
import { waitFor } from './support/wait-for.js';

// Redis goes away in the worst moment: after an event's handlers ran, before the library wrote
// their outcome. Two app instances share a Redis of the test's own (append-only file, fsynced on
// every write, so a restart keeps every record). A copy of the event sent after Redis is back must
// not run a handler that finished, and must be answered (2xx) within seconds, not when the claim
// of the instance that lost Redis would have run out.
const SECRET = 'whsec_outage';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What each handler did, across both instances (one process). */
const runs = new Map<string, number>();
/** Runs once, inside a handler, the first time that handler runs (say, to stop Redis there). */
let inFirstRun: Partial<Record<'first' | 'second', () => Promise<void>>> = {};

@Injectable()
class OutageHandlers {
  @OnFaceEvent('facesign.**')
  async first(event: FaceEventOf<'facesign.**'>): Promise<void> {
    await this.run('first', event.id);
  }

  @OnFaceEvent('facesign.**')
  async second(event: FaceEventOf<'facesign.**'>): Promise<void> {
    await this.run('second', event.id);
  }

  private async run(handler: 'first' | 'second', id: string): Promise<void> {
    const key = `${handler}:${id}`;
    runs.set(key, (runs.get(key) ?? 0) + 1);
    const hook = inFirstRun[handler];
    if (hook) {
      inFirstRun[handler] = undefined;
      await hook();
    }
  }
}

describe.each(ADAPTERS)('a Redis outage between handling and recording the outcome (%s)', (adapter) => {
  let dir: string;
  let redis: RedisServer;
  let apps: INestApplication[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'face-webhooks-outage-'));
    redis = await RedisServer.start(undefined, [
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
    ]);
    runs.clear();
    inFirstRun = {};
  });

  afterEach(async () => {
    for (const app of apps) await app.close();
    apps = [];
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two instances; `inFlightTtlMs` only matters to a store without leases. */
  const startInstances = async (inFlightTtlMs?: number) => {
    for (let i = 0; i < 2; i++) {
      const { app } = await createTestApp({
        adapter,
        imports: [
          FaceWebhooksModule.forRoot({
            facesign: { secret: SECRET },
            redis: redis.url,
            deduplicationStore: 'redis',
            deduplicationLeaseMs: 1_000,
            ...(inFlightTtlMs === undefined ? {} : { deduplicationInFlightTtlMs: inFlightTtlMs }),
            shutdownTimeoutMs: 2_000,
          }),
        ],
        providers: [OutageHandlers],
      });
      apps.push(app);
    }
  };
  const deliver = (app: INestApplication, event: object) => {
    const signed = signFaceSignRequest({ secret: SECRET, body: event });
    return request(app.getHttpServer()).post('/webhooks/facesign').set(signed.headers).send(signed.body);
  };
  /** Delivers `event` to `app` the way FaceSign does, until it is acknowledged (or `timeoutMs`). */
  const deliverUntilAcknowledged = async (app: INestApplication, event: object, timeoutMs: number) => {
    let answer: request.Response | undefined;
    await waitFor(
      'the copy to be acknowledged',
      async () => {
        answer = await deliver(app, event);
        if (answer.status >= 300) await sleep(100);
        return answer.status < 300;
      },
      timeoutMs,
    );
    return answer!;
  };
  /** Redis down for `downMs`, as if it restarted; the call that stopped it resolves at once. */
  let restarted: Promise<void> | undefined;
  const outage = (downMs: number) => async () => {
    await redis.stop();
    restarted = sleep(downMs).then(() => redis.start());
  };
  const redisBack = () => restarted;

  it('a handler that finished is not run again by a copy, which is a duplicate moments after Redis returns', async () => {
    // A store without leases would let a copy in once its claim ran out (5 s) and run both again.
    await startInstances(5_000);
    const event = faceSignFixture('session.status');
    // Stopped after both handlers ran: the `done` mark cannot be written. Down for 3 s, three
    // lease periods: Redis's clock says the lease ran out when it comes back.
    inFirstRun.second = outage(3_000);
    const first = await deliver(apps[0]!, event);
    expect(first.status).toBeLessThan(300); // handled: acknowledged
    await redisBack();
    const copy = await deliverUntilAcknowledged(apps[1]!, event, 15_000);
    expect(copy.body).toMatchObject({ received: true, duplicate: true });
    expect(runs.get(`first:${event.id}`)).toBe(1);
    expect(runs.get(`second:${event.id}`)).toBe(1);
  }, 40_000);

  it('an event whose claim could not be released is deliverable again moments after Redis returns', async () => {
    await startInstances(); // 120 s: the claim of a store without leases would block copies that long
    const event = faceSignFixture('session.status');
    // `second` finishes; `first` stops Redis and fails: the release (with `second` recorded as
    // finished) cannot be written.
    inFirstRun.first = async () => {
      await outage(3_000)();
      throw new Error('fails while Redis is down');
    };
    const first = await deliver(apps[0]!, event);
    expect(first.status).toBe(500);
    await redisBack();
    const copy = await deliverUntilAcknowledged(apps[1]!, event, 15_000);
    expect(copy.body).toEqual({ received: true });
    expect(runs.get(`first:${event.id}`)).toBe(2); // failed, then ran for the copy
    expect(runs.get(`second:${event.id}`)).toBe(1); // finished the first time: not run again
  }, 40_000);
});
