import type { AddressInfo } from 'node:net';
import { Injectable, type INestApplication } from '@nestjs/common';
import { FaceWebhooksModule, OnFaceEvent, type AnyFaceEvent } from 'nestjs-face-webhooks';
import {
  faceSignFixture,
  idaasFixture,
  signFaceSignRequest,
  signIdaasRequest,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { ADAPTERS, createTestApp } from './support/create-app.js';

// `event.occurredAt` is always a valid Date: a signed body whose time Date cannot read is a 400
// naming the field, never an Invalid Date that makes every handler, and so every retry, fail.
const FACESIGN_SECRET = 'whsec_event_time';
const IDAAS_SECRET = 'idaas-event-time';

/** Formats every event's time, as real handlers do; an Invalid Date would throw here. */
@Injectable()
class TimeFormattingHandlers {
  readonly times: string[] = [];

  @OnFaceEvent('**')
  format(event: AnyFaceEvent): void {
    this.times.push(event.occurredAt.toISOString());
  }
}

describe.each(ADAPTERS)('event times (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: TimeFormattingHandlers;
  let idaasUrl: string;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          facesign: { secret: FACESIGN_SECRET },
          // These bodies carry event times far from now; the signature's `created` is fresh.
          idaas: { secret: IDAAS_SECRET },
        }),
      ],
      providers: [TimeFormattingHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    idaasUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/webhooks/idaas`;
    handlers = app.get(TimeFormattingHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.times.length = 0));

  const sendFaceSign = (body: object) => {
    const signed = signFaceSignRequest({ secret: FACESIGN_SECRET, body });
    return request(app.getHttpServer()).post('/webhooks/facesign').set(signed.headers).send(signed.body);
  };
  const sendIdaas = (eventTime: string) => {
    const signed = signIdaasRequest({
      secret: IDAAS_SECRET,
      url: idaasUrl,
      body: { ...idaasFixture('user.created'), eventTime },
    });
    return request(app.getHttpServer()).post('/webhooks/idaas').set(signed.headers).send(signed.body);
  };

  it.each([[1e20], [8_640_000_000_000_001], [Number.MAX_SAFE_INTEGER]])(
    'refuses a FaceSign createdAt of %d, past the largest Date, with 400 naming createdAt',
    async (createdAt) => {
      const res = await sendFaceSign({ ...faceSignFixture('session.status'), createdAt });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('createdAt');
      expect(handlers.times).toEqual([]);
    },
  );

  it('refuses a media.expires past the largest Date, naming media.expires', async () => {
    const fixture = faceSignFixture('media.user_photo');
    const res = await sendFaceSign({ ...fixture, media: { ...fixture.media, expires: 1e20 } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('media.expires');
  });

  it('accepts the largest Date as createdAt, and the handler can format it', async () => {
    const res = await sendFaceSign({
      ...faceSignFixture('session.status'),
      createdAt: 8_640_000_000_000_000,
    });
    expect(res.status).toBe(200);
    expect(handlers.times).toEqual(['+275760-09-13T00:00:00.000Z']);
  });

  it.each([
    ['20260316T193516Z', 'ISO 8601 basic form'],
    ['2026-W11-1', 'week date'],
    ['2026-075', 'ordinal date'],
    ['2016-12-31T23:59:60Z', 'leap second'],
    ['2026-03-16T19:35:16,5Z', 'comma fraction'],
    ['2026-03-16T19Z', 'hour only'],
    ['2026-02-30T00:00:00Z', 'day that does not exist'],
    ['+275760-09-13T00:00:00.001Z', 'past the largest Date'],
  ])('refuses IDaaS eventTime %s (%s) with 400 naming eventTime', async (eventTime) => {
    const res = await sendIdaas(eventTime);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('eventTime');
    expect(handlers.times).toEqual([]);
  });

  it.each([
    ['2026-03-16T19:35:16Z', '2026-03-16T19:35:16.000Z'],
    ['2026-03-16T19:35:16+14:00', '2026-03-16T05:35:16.000Z'],
    ['2026-03-16T19:35:16-23:59', '2026-03-17T19:34:16.000Z'],
    ['2026-03-16T19:35:16.123456789Z', '2026-03-16T19:35:16.123Z'],
    ['2026-03-16T19:35Z', '2026-03-16T19:35:00.000Z'],
    ['2026-03-16', '2026-03-16T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('accepts IDaaS eventTime %s as occurredAt %s', async (eventTime, expected) => {
    const res = await sendIdaas(eventTime);
    expect(res.status).toBe(200);
    expect(handlers.times).toEqual([expected]);
  });
});
