import crypto from 'node:crypto';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  FACESIGN_EVENT_TYPES,
  FaceSignMediaDto,
  FaceSignWebhookEventDto,
  FaceWebhooksModule,
  OnFaceEvent,
  type AnyFaceEvent,
  type FaceEventOf,
} from 'nestjs-face-webhooks';
import { faceSignFixture, signFaceSignRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';

const SECRET = 'whsec_e2e_current';
const OLD_SECRET = 'whsec_e2e_previous';
const ROUTE = '/webhooks/facesign';
const now = () => Math.floor(Date.now() / 1000);

@Injectable()
class FaceSignHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent([...FACESIGN_EVENT_TYPES.map((type) => `facesign.${type}` as const)])
  onKnown(event: FaceEventOf<'facesign.**'>): void {
    this.calls.push({ handler: 'known', event });
  }

  @OnFaceEvent('facesign.media.*')
  onMedia(event: FaceEventOf<'facesign.media.*'>): void {
    // Typed: media is always there on media events.
    this.calls.push({ handler: `media:${event.data.media.contentType}`, event });
  }

  @OnFaceEvent('facesign.**')
  onAny(event: FaceEventOf<'facesign.**'>): void {
    this.calls.push({ handler: 'any', event });
  }

  of(handler: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler === handler).map((call) => call.event);
  }
}

describe.each(ADAPTERS)('FaceSign deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: FaceSignHandlers;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ facesign: { secret: [SECRET, OLD_SECRET] } })],
      providers: [FaceSignHandlers],
    }));
    handlers = app.get(FaceSignHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  const send = (signed: { headers: Record<string, string>; body: string }, body = signed.body) =>
    request(app.getHttpServer()).post(ROUTE).set(signed.headers).send(body);

  it.each(FACESIGN_EVENT_TYPES.map((type) => [type]))(
    'accepts %s and hands it to its handlers, typed',
    async (type) => {
      const fixture = faceSignFixture(type);
      const res = await send(signFaceSignRequest({ secret: SECRET, body: fixture }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true });
      const [event] = handlers.of('known');
      expect(handlers.of('known')).toHaveLength(1);
      expect(event).toMatchObject({ provider: 'facesign', type: `facesign.${type}`, id: fixture.id });
      expect(event!.data).toBeInstanceOf(FaceSignWebhookEventDto);
      expect(event!.occurredAt.getTime()).toBe(fixture.createdAt);
      const isMedia = type.startsWith('media.');
      expect(handlers.calls.some((call) => call.handler.startsWith('media:'))).toBe(isMedia);
      if (isMedia) expect((event!.data as FaceSignWebhookEventDto).media).toBeInstanceOf(FaceSignMediaDto);
    },
  );

  it('accepts a type it does not know, for wildcard handlers only, and logs it', async () => {
    const fixture = { ...faceSignFixture('session.status'), type: 'session.archived' };
    expect((await send(signFaceSignRequest({ secret: SECRET, body: fixture }))).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(0);
    expect(handlers.of('any').map((e) => e.type)).toEqual(['facesign.session.archived']);
    expect(logger.find('warn', 'facesign.session.archived')).toHaveLength(1);
  });

  it('routes each of more made-up types than it remembers to the matching handlers only', async () => {
    // The dispatcher remembers the handlers of 256 types; the rest are looked up every time.
    const types = Array.from({ length: 300 }, (_, i) => (i % 2 ? `media.made_up_${i}` : `made_up.t${i}`));
    for (const type of [...types, ...types.slice(0, 3)]) {
      const fixture = {
        ...faceSignFixture(type.startsWith('media.') ? 'media.user_photo' : 'session.status'),
        type,
      };
      expect((await send(signFaceSignRequest({ secret: SECRET, body: fixture }))).status).toBe(200);
    }
    expect(handlers.of('any')).toHaveLength(303);
    expect(handlers.of('known')).toHaveLength(0);
    const media = handlers.calls.filter((call) => call.handler.startsWith('media:'));
    expect(media.map((call) => call.event.type)).toEqual(
      [...types, ...types.slice(0, 3)].filter((t) => t.startsWith('media.')).map((t) => `facesign.${t}`),
    );
  });

  it('handles a duplicate id once and answers 200 both times', async () => {
    const fixture = faceSignFixture('media.user_photo');
    const first = await send(signFaceSignRequest({ secret: SECRET, body: fixture }));
    // FaceSign's retry: same event, signed again later.
    const retry = await send(signFaceSignRequest({ secret: SECRET, body: fixture, timestamp: now() + 5 }));
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('known')).toHaveLength(1);
  });

  it('accepts both secrets during a rotation, and a header with two v1 values', async () => {
    expect(
      (await send(signFaceSignRequest({ secret: OLD_SECRET, body: faceSignFixture('settings.langs') })))
        .status,
    ).toBe(200);
    const two = signFaceSignRequest({
      secret: ['whsec_unknown', SECRET],
      body: faceSignFixture('settings.avatars'),
    });
    expect(two.headers['x-facesign-signature']!.split('v1=')).toHaveLength(3);
    expect((await send(two)).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(2);
  });

  it('verifies a signature made the way the FaceSign docs compute it', async () => {
    const body = JSON.stringify(faceSignFixture('analysis.deepfake'));
    const t = now();
    const v1 = crypto.createHmac('sha256', SECRET).update(`${t}.${body}`, 'utf8').digest('hex');
    const res = await request(app.getHttpServer())
      .post(ROUTE)
      .set({
        'content-type': 'application/json',
        'x-facesign-timestamp': `${t}`,
        'x-facesign-signature': `t=${t},v1=${v1}`,
      })
      .send(body);
    expect(res.status).toBe(200);
  });

  describe('refuses with a bare 401 and no handler call', () => {
    const refuse = async (headers: Record<string, string>, body: string) => {
      const res = await request(app.getHttpServer()).post(ROUTE).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    };
    const signed = (overrides: { secret?: string; timestamp?: number } = {}) =>
      signFaceSignRequest({
        secret: overrides.secret ?? SECRET,
        body: faceSignFixture('session.status'),
        timestamp: overrides.timestamp,
      });

    it('a tampered body', () => {
      const s = signed();
      return refuse(s.headers, s.body.replace('"session.status"', '"media.user_photo"'));
    });
    it('a re-serialised body (same JSON, other whitespace)', () => {
      const s = signed();
      return refuse(s.headers, JSON.stringify(JSON.parse(s.body), null, 2));
    });
    it('a wrong secret', () => {
      const s = signed({ secret: 'whsec_attacker' });
      return refuse(s.headers, s.body);
    });
    it('a stale timestamp (6 minutes old)', () => {
      const s = signed({ timestamp: now() - 360 });
      return refuse(s.headers, s.body);
    });
    it('a future timestamp (6 minutes ahead)', () => {
      const s = signed({ timestamp: now() + 360 });
      return refuse(s.headers, s.body);
    });
    it('X-FaceSign-Timestamp disagreeing with t', () => {
      const s = signed();
      return refuse({ ...s.headers, 'x-facesign-timestamp': `${now() - 10}` }, s.body);
    });
    it('a missing signature header', () => {
      const s = signed();
      return refuse(
        { 'content-type': 'application/json', 'x-facesign-timestamp': s.headers['x-facesign-timestamp']! },
        s.body,
      );
    });
    it.each([
      ['no t', (v1: string) => `v1=${v1}`],
      ['no v1', () => `t=${now()}`],
      ['non-hex v1', () => `t=${now()},v1=${'g'.repeat(64)}`],
      ['odd-length v1', (v1: string) => `t=${now()},v1=${v1}0`],
      ['two t parts', (v1: string) => `t=${now()},t=${now()},v1=${v1}`],
      ['an absurd t', (v1: string) => `t=1e99,v1=${v1}`],
      ['garbage', () => '\u00ff;;==,,'],
    ])('a malformed header: %s', async (_name, header) => {
      const s = signed();
      const v1 = /v1=([0-9a-f]+)/.exec(s.headers['x-facesign-signature']!)![1]!;
      await refuse({ 'content-type': 'application/json', 'x-facesign-signature': header(v1) }, s.body);
    });
    it('a duplicated signature header', async () => {
      const s = signed();
      const res = await request(app.getHttpServer())
        .post(ROUTE)
        .set('content-type', 'application/json')
        .set('x-facesign-signature', [
          s.headers['x-facesign-signature']!,
          s.headers['x-facesign-signature']!,
        ] as unknown as string)
        .send(s.body);
      expect(res.status).toBe(401);
      expect(handlers.calls).toHaveLength(0);
    });
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: object, field: string) => {
      const res = await send(signFaceSignRequest({ secret: SECRET, body }));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    it('a media event without media', () =>
      expect400({ ...faceSignFixture('media.user_video'), media: undefined }, 'media'));
    it('media given as an array', () =>
      expect400({ ...faceSignFixture('media.user_photo'), media: [] }, 'media must be an object'));
    it('createdAt as a string', () =>
      expect400({ ...faceSignFixture('session.status'), createdAt: '2026-11-24' }, 'createdAt'));
    it('a missing id', () => expect400({ ...faceSignFixture('session.status'), id: undefined }, 'id'));
    it('a media url that is not a URL', () => {
      const fixture = faceSignFixture('media.user_photo');
      return expect400({ ...fixture, media: { ...fixture.media!, url: 'not a url' } }, 'media.url');
    });
    it('a type with wildcard characters', () =>
      expect400({ ...faceSignFixture('session.status'), type: 'session.*' }, 'type'));
  });
});

describe.each(ADAPTERS)('FaceSign unsigned deliveries (dev environment) (%s)', (adapter) => {
  afterEach(() => {
    process.env.NODE_ENV = 'test';
  });

  it('are refused unless allowUnsigned is set', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ facesign: { secret: SECRET } })],
    });
    const body = JSON.stringify(faceSignFixture('session.status'));
    const res = await request(app.getHttpServer())
      .post(ROUTE)
      .set('content-type', 'application/json')
      .send(body);
    expect(res.status).toBe(401);
    await app.close();
  });

  it('are accepted with allowUnsigned, while a bad signature still is not', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ facesign: { allowUnsigned: true } })],
      providers: [FaceSignHandlers],
    });
    const server = app.getHttpServer();
    const body = JSON.stringify(faceSignFixture('session.status'));
    const unsigned = await request(server)
      .post(ROUTE)
      .set({ 'content-type': 'application/json', 'user-agent': 'FaceSign-Webhook/Dev' })
      .send(body);
    expect(unsigned.status).toBe(200);
    const forged = signFaceSignRequest({ secret: 'whsec_anything', body: faceSignFixture('session.status') });
    expect((await request(server).post(ROUTE).set(forged.headers).send(forged.body)).status).toBe(401);
    expect(app.get(FaceSignHandlers).of('known')).toHaveLength(1);
    await app.close();
  });

  it('refuse to start with allowUnsigned when NODE_ENV=production', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ facesign: { allowUnsigned: true } })],
      }).compile(),
    ).rejects.toThrow('facesign.allowUnsigned');
  });

  it('refuse to start without a secret', async () => {
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ facesign: { secret: '' } })],
      }).compile(),
    ).rejects.toThrow('facesign.secret is required');
  });
});
