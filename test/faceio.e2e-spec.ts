import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { FaceWebhooksModule, FaceioWebhookEventDto } from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

const TOKEN = 'fio_test_token_1';
const NEXT_TOKEN = 'fio_test_token_2';
const ROUTE = '/webhooks/faceio';

describe.each(ADAPTERS)('FACEIO deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: RecordingHandlers;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: [TOKEN, NEXT_TOKEN] }, bodyLimit: '8kb' })],
      providers: [RecordingHandlers],
    }));
    handlers = app.get(RecordingHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => handlers.reset());

  const post = (
    body: object | string,
    headers: Record<string, string> = signFaceioRequest({ token: TOKEN, body }).headers,
  ) =>
    request(app.getHttpServer())
      .post(ROUTE)
      .set(headers)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  describe('valid deliveries', () => {
    it('hands a valid ENROLL to its handler as a typed, validated event', async () => {
      const signed = signFaceioRequest({ token: TOKEN, body: faceioFixture('ENROLL') });
      const res = await request(app.getHttpServer()).post(ROUTE).set(signed.headers).send(signed.body);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true });
      const [event] = handlers.of('enroll');
      expect(handlers.of('enroll')).toHaveLength(1);
      expect(event).toMatchObject({ provider: 'faceio', type: 'faceio.ENROLL' });
      expect(event!.id).toBe(createHash('sha256').update(signed.body).digest('hex'));
      expect(event!.data).toBeInstanceOf(FaceioWebhookEventDto);
      expect(event!.data).toMatchObject({
        facialId: faceioFixture('ENROLL').facialId,
        details: { age: '36' },
      });
      expect(event!.raw.toString()).toBe(signed.body);
      expect(event!.occurredAt.toISOString()).toBe('2026-11-24T07:55:59.000Z');
      expect(event!.receivedAt).toBeInstanceOf(Date);
    });

    it('hands AUTH and DELETION to their handlers, and every FACEIO event to faceio.* and **', async () => {
      expect((await post(faceioFixture('AUTH'))).status).toBe(200);
      expect((await post(faceioFixture('DELETION'))).status).toBe(200);

      expect(handlers.of('auth').map((e) => e.type)).toEqual(['faceio.AUTH']);
      expect(handlers.of('deletion').map((e) => e.type)).toEqual(['faceio.DELETION']);
      expect(handlers.of('deletion')[0]!.data).not.toHaveProperty('payload');
      expect(handlers.of('faceio.*').map((e) => e.type)).toEqual(['faceio.AUTH', 'faceio.DELETION']);
      expect(handlers.of('**')).toHaveLength(2);
      expect(handlers.of('enroll')).toHaveLength(0);
    });

    it('matches eventName case-insensitively and normalises it to upper case', async () => {
      const res = await post({ ...faceioFixture('AUTH'), eventName: 'auth' });
      expect(res.status).toBe(200);
      expect(handlers.of('auth')[0]!.data).toMatchObject({ eventName: 'AUTH' });
    });

    it('accepts the token in Authorization as well as WWW-Authenticate, and every rotated token', async () => {
      const body = JSON.stringify(faceioFixture('AUTH', { facialId: 'rotation-1' }));
      const viaAuthorization = await post(body, {
        'content-type': 'application/json',
        authorization: `Bearer ${TOKEN}`,
      });
      const withNextToken = await post(
        JSON.stringify(faceioFixture('AUTH', { facialId: 'rotation-2' })),
        signFaceioRequest({ token: NEXT_TOKEN, body: '' }).headers,
      );
      expect([viaAuthorization.status, withNextToken.status]).toEqual([200, 200]);
      expect(handlers.of('auth')).toHaveLength(2);
    });

    it('accepts a date-only details.timestamp as documented', async () => {
      const body = faceioFixture('ENROLL', {
        details: { timestamp: '2026-11-24', gender: 'male', age: '41' },
      });
      expect((await post(body)).status).toBe(200);
      expect(handlers.of('enroll')[0]!.occurredAt.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    });

    it('accepts an eventName it does not know, logs it and runs only the wildcard handlers', async () => {
      const res = await post({ ...faceioFixture('AUTH'), eventName: 'LIVENESS_CHECK' });
      expect(res.status).toBe(200);
      expect(handlers.of('faceio.*').map((e) => e.type)).toEqual(['faceio.LIVENESS_CHECK']);
      expect(handlers.of('**')).toHaveLength(1);
      expect(handlers.of('auth')).toHaveLength(0);
      expect(logger.find('warn', 'faceio.LIVENESS_CHECK')).toHaveLength(1);
    });
  });

  describe('authentication', () => {
    const body = JSON.stringify(faceioFixture('ENROLL'));
    const cases: [string, Record<string, string>][] = [
      ['no credentials at all', { 'content-type': 'application/json' }],
      ['a wrong token', { 'www-authenticate': 'Bearer not-the-token' }],
      ['a wrong token in Authorization', { authorization: 'Bearer not-the-token' }],
      ['the token with a suffix', { 'www-authenticate': `Bearer ${TOKEN}x` }],
      ['a token prefix', { 'www-authenticate': `Bearer ${TOKEN.slice(0, -1)}` }],
      ['the bare token, no scheme', { 'www-authenticate': TOKEN }],
      ['another scheme', { 'www-authenticate': `Basic ${TOKEN}` }],
      ['Bearer with no token', { 'www-authenticate': 'Bearer ' }],
      ['two credentials in one header', { 'www-authenticate': `Bearer ${TOKEN}, Bearer other` }],
      ['a token followed by more words', { 'www-authenticate': `Bearer ${TOKEN} extra` }],
      ['an empty header', { 'www-authenticate': '' }],
    ];

    it.each(cases)('refuses %s with a bare 401 and calls no handler', async (_name, headers) => {
      const res = await post(body, { 'content-type': 'application/json', ...headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    });

    it('refuses a duplicated WWW-Authenticate header (one right, one wrong)', async () => {
      const res = await request(app.getHttpServer())
        .post(ROUTE)
        .set('content-type', 'application/json')
        .set('www-authenticate', [`Bearer ${TOKEN}`, 'Bearer wrong'] as unknown as string)
        .send(body);
      expect(res.status).toBe(401);
      expect(handlers.calls).toHaveLength(0);
    });

    it('checks the token before looking at the body', async () => {
      const res = await post('{not json', {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer wrong',
      });
      expect(res.status).toBe(401);
    });

    it('logs why a delivery was refused, without the token', async () => {
      await post(body, { 'www-authenticate': 'Bearer wrong-token-value' });
      const lines = logger.find('warn', 'Rejected faceio delivery');
      expect(lines.at(-1)).toContain('bearer token does not match');
      expect(lines.join('\n')).not.toContain('wrong-token-value');
    });
  });

  describe('bad bodies', () => {
    const expect400 = async (body: object | string, field: string) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };

    it('refuses malformed JSON', () => expect400('{"eventName": "ENROLL",', 'not valid JSON'));
    it('refuses a JSON array', () => expect400('[]', 'must be a JSON object'));
    it('refuses JSON null', () => expect400('null', 'must be a JSON object'));
    it('refuses an empty body', () => expect400('', 'not valid JSON'));
    it('refuses invalid UTF-8', async () => {
      const bytes = Buffer.concat([
        Buffer.from('{"eventName":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}'),
      ]);
      const res = await request(app.getHttpServer())
        .post(ROUTE)
        .set(signFaceioRequest({ token: TOKEN, body: '' }).headers)
        .serialize((raw: unknown) => raw as string)
        .send(bytes as unknown as string);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('UTF-8');
    });
    it('refuses a __proto__ key', () =>
      expect400('{"__proto__":{"polluted":true},"eventName":"AUTH"}', 'forbidden key'));
    it('names a missing facialId', () =>
      expect400({ ...faceioFixture('AUTH'), facialId: undefined }, 'facialId'));
    it('names an empty facialId', () => expect400({ ...faceioFixture('AUTH'), facialId: '' }, 'facialId'));
    it('names a numeric eventName', () => expect400({ ...faceioFixture('AUTH'), eventName: 7 }, 'eventName'));
    it('names an eventName that would add segments to the type', () =>
      expect400({ ...faceioFixture('AUTH'), eventName: 'AUTH.*' }, 'eventName'));
    it('names a clientIp that is not an IP', () =>
      expect400({ ...faceioFixture('AUTH'), clientIp: 'localhost' }, 'clientIp'));
    it('names an appId of the wrong type', () =>
      expect400({ ...faceioFixture('AUTH'), appId: ['a'] }, 'appId'));
    it('names a malformed details.timestamp with its full path', () =>
      expect400({ ...faceioFixture('ENROLL'), details: { timestamp: '24/11/2026' } }, 'details.timestamp'));
    it('names details.age of the wrong type', () =>
      expect400({ ...faceioFixture('ENROLL'), details: { age: { years: 3 } } }, 'details.age'));
    it('refuses details given as an array', () =>
      expect400({ ...faceioFixture('ENROLL'), details: [] }, 'details must be an object'));
    it('refuses details that is not an object', () =>
      expect400({ ...faceioFixture('ENROLL'), details: 'x' }, 'details'));

    it('accepts an IPv6 clientIp and a numeric age', async () => {
      const body = faceioFixture('ENROLL', {
        clientIp: '2001:db8::7',
        details: { age: 30 as unknown as string },
      });
      expect((await post(body)).status).toBe(200);
      expect(handlers.of('enroll')[0]!.data).toMatchObject({
        clientIp: '2001:db8::7',
        details: { age: '30' },
      });
    });

    it('refuses a body over the limit with 413', async () => {
      const res = await post({ ...faceioFixture('ENROLL'), payload: { blob: 'x'.repeat(9 * 1024) } });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413 });
      expect(handlers.calls).toHaveLength(0);
    });

    it('refuses a compressed body with 415', async () => {
      const res = await post(faceioFixture('AUTH'), {
        ...signFaceioRequest({ token: TOKEN, body: '' }).headers,
        'content-encoding': 'gzip',
      });
      expect(res.status).toBe(415);
    });
  });

  describe('duplicates and failures', () => {
    it('answers the same body twice with 200 twice and runs the handler once', async () => {
      const body = faceioFixture('ENROLL', { facialId: 'dup-1' });
      const first = await post(body);
      const second = await post(body);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.body).toEqual({ received: true, duplicate: true });
      expect(handlers.of('enroll')).toHaveLength(1);
    });

    it('answers a copy that arrives while the first is still being handled with 503 Retry-After', async () => {
      handlers.enrollDelayMs = 300;
      const body = faceioFixture('ENROLL', { facialId: 'in-flight-1' });
      const [a, b] = await Promise.all([post(body), post(body)]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 503]);
      expect([a, b].find((r) => r.status === 503)!.headers['retry-after']).toBe('5');
      expect(handlers.of('enroll')).toHaveLength(1);
      // After the first copy finished, the retry is a plain duplicate.
      expect((await post(body)).body).toEqual({ received: true, duplicate: true });
    });

    it('answers 500 when a handler throws, logs it, and the retry runs only the handler that failed', async () => {
      handlers.failures.set('auth', 1);
      const body = faceioFixture('AUTH', { facialId: 'fails-once' });
      const first = await post(body);
      expect(first.status).toBe(500);
      expect(handlers.of('auth')).toHaveLength(0);
      const id = createHash('sha256').update(JSON.stringify(body)).digest('hex');
      expect(logger.find('error', 'onAuth', 'faceio.AUTH', id)).toHaveLength(1);

      // The event's other handlers succeeded in the failed attempt: the retry does not run them again.
      expect(handlers.of('faceio.*')).toHaveLength(1);
      expect(handlers.of('**')).toHaveLength(1);

      const retry = await post(body);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ received: true });
      expect(handlers.of('auth')).toHaveLength(1);
      expect(handlers.of('faceio.*')).toHaveLength(1);
      expect(handlers.of('**')).toHaveLength(1);
    });
  });

  it('does not serve a provider that is not enabled', async () => {
    const res = await request(app.getHttpServer()).post('/webhooks/facesign').send('{}');
    expect(res.status).toBe(404);
  });
});
