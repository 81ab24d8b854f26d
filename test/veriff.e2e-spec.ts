import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  VERIFF_EVENT_TYPES,
  VeriffDecisionWebhookDto,
  VeriffEventWebhookDto,
  type AnyFaceEvent,
  type FaceEventOf,
} from 'nestjs-face-webhooks';
import {
  signVeriffRequest,
  veriffFixture,
  type VeriffDecisionFixture,
  type VeriffEventFixture,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { cli } from './support/cli.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { rawExchange } from './support/raw-http.js';
import { waitFor } from './support/wait-for.js';

const SECRET = 'veriff-e2e-shared-secret';
const SECOND_SECRET = 'veriff-e2e-next-secret';
const API_KEY = '2f0a6f3e-6b1c-4f9e-9a1d-0c8b7e5d4a3f';
const TENANT_SECRET = 'veriff-e2e-tenant-acme';
const TENANT_API_KEY = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const ROUTE = '/webhooks/veriff';

/**
 * Veriff publishes no server-side package and no signed example. This signer is written from its
 * "HMAC Authentication and Endpoint Security" page alone (hex HMAC-SHA256 of the payload with the
 * shared secret key, in `X-HMAC-SIGNATURE`; the API key in `X-AUTH-CLIENT`), independently of the
 * library's signer and verifier.
 */
function veriffDocsHeaders(
  body: string,
  secret = SECRET,
  apiKey: string | null = API_KEY,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    ...(apiKey === null ? {} : { 'x-auth-client': apiKey }),
    'x-hmac-signature': crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex'),
  };
}

const decision = (status: string, now?: Date) =>
  veriffFixture(`decision.${status}`, now) as VeriffDecisionFixture;
const event = (action: string) => veriffFixture(`event.${action}`) as VeriffEventFixture;

@Injectable()
class VeriffHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent('veriff.decision.approved')
  onApproved(event: FaceEventOf<'veriff.decision.approved'>): void {
    // Typed: the session, its status and your user's reference.
    const verification = event.data.verification;
    this.calls.push({ handler: `approved:${verification.status}:${verification.vendorData}`, event });
  }

  @OnFaceEvent('veriff.event.*')
  onProgress(event: FaceEventOf<'veriff.event.*'>): void {
    this.calls.push({ handler: `progress:${event.data.action}:${event.data.code}`, event });
  }

  @OnFaceEvent([...VERIFF_EVENT_TYPES.map((type) => `veriff.${type}` as const)])
  onKnown(event: FaceEventOf<'veriff.**'>): void {
    this.calls.push({ handler: 'known', event });
  }

  @OnFaceEvent('veriff.**')
  onAny(event: FaceEventOf<'veriff.**'>): void {
    this.calls.push({ handler: 'any', event });
  }

  of(handler: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler === handler).map((call) => call.event);
  }
}

describe.each(ADAPTERS)('Veriff deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: VeriffHandlers;
  let port: number;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          veriff: {
            secret: [SECRET, SECOND_SECRET],
            apiKey: API_KEY,
            tenants: {
              resolve: (tenant) =>
                tenant === 'acme'
                  ? { secret: TENANT_SECRET, apiKey: TENANT_API_KEY, maxEventAgeSeconds: 3600 }
                  : undefined,
            },
          },
        }),
      ],
      providers: [VeriffHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    handlers = app.get(VeriffHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  const genuine = (body: object, secret = SECRET, apiKey: string | null = API_KEY) => {
    const text = JSON.stringify(body);
    return { headers: veriffDocsHeaders(text, secret, apiKey), body: text };
  };
  const send = (signed: { headers: Record<string, string>; body: string }, route = ROUTE) =>
    request(app.getHttpServer()).post(route).set(signed.headers).send(signed.body);

  it('accepts a genuine approved decision once, typed, and answers its retry as a duplicate', async () => {
    const fixture = decision('approved');
    const first = await send(genuine(fixture));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true });
    expect(handlers.of('approved:approved:user_4242')).toHaveLength(1);
    const [received] = handlers.of('approved:approved:user_4242');
    expect(received).toMatchObject({ provider: 'veriff', type: 'veriff.decision.approved' });
    expect(received!.data).toBeInstanceOf(VeriffDecisionWebhookDto);
    expect(received!.occurredAt.toISOString()).toBe(fixture.verification.decisionTime);

    // Veriff's retry an hour later: the same bytes, the same signature.
    const retry = await send(genuine(fixture));
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('approved:approved:user_4242')).toHaveLength(1);
  });

  it('handles a later decision on the same session (resubmission requested, then approved)', async () => {
    const first = decision('resubmission_requested');
    const second = decision('approved');
    second.verification.id = first.verification.id;
    expect((await send(genuine(first))).status).toBe(200);
    expect((await send(genuine(second))).body).toEqual({ received: true });
    expect(handlers.of('known').map((e) => e.type)).toEqual([
      'veriff.decision.resubmission_requested',
      'veriff.decision.approved',
    ]);
  });

  it.each(VERIFF_EVENT_TYPES.map((type) => [type]))('accepts %s for its typed handlers', async (type) => {
    const fixture = veriffFixture(type);
    expect((await send(genuine(fixture))).status).toBe(200);
    expect(handlers.of('known').map((e) => e.type)).toEqual([`veriff.${type}`]);
    expect(handlers.of('any')).toHaveLength(1);
    if (type.startsWith('event.')) {
      const action = type.slice('event.'.length);
      expect(handlers.of(`progress:${action}:${action === 'started' ? 7001 : 7002}`)).toHaveLength(1);
      expect(handlers.of('known')[0]!.data).toBeInstanceOf(VeriffEventWebhookDto);
    }
  });

  it('answers an event webhook retry as a duplicate', async () => {
    const fixture = event('submitted');
    expect((await send(genuine(fixture))).body).toEqual({ received: true });
    expect((await send(genuine(fixture))).body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('known')).toHaveLength(1);
  });

  it('accepts a status or action it does not type, for wildcard handlers only, and logs it', async () => {
    expect((await send(genuine(decision('escalated')))).status).toBe(200);
    expect((await send(genuine(event('paused')))).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(0);
    expect(handlers.of('any').map((e) => e.type)).toEqual([
      'veriff.decision.escalated',
      'veriff.event.paused',
    ]);
    expect(logger.find('warn', 'veriff.decision.escalated')).toHaveLength(1);
  });

  it('accepts the second configured secret (rotation), and VRF-HMAC-SIGNATURE', async () => {
    expect((await send(genuine(decision('declined'), SECOND_SECRET))).status).toBe(200);
    const vrf = genuine(decision('review'));
    const { 'x-hmac-signature': signature, ...rest } = vrf.headers;
    expect(
      (await send({ headers: { ...rest, 'vrf-hmac-signature': signature! }, body: vrf.body })).status,
    ).toBe(200);
    expect(handlers.of('known')).toHaveLength(2);
  });

  it("signs with the library's signer what the docs' check accepts", async () => {
    const signed = signVeriffRequest({ secret: SECRET, apiKey: API_KEY, body: decision('expired') });
    expect(veriffDocsHeaders(signed.body)).toEqual(signed.headers);
    expect((await send(signed)).status).toBe(200);
  });

  describe('refuses with a bare 401 and no handler call', () => {
    const refuse = async (headers: Record<string, string>, body: string, route = ROUTE) => {
      const res = await request(app.getHttpServer()).post(route).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    };

    it('a forged signature (wrong key)', () => {
      const s = genuine(decision('approved'), 'attacker-secret');
      return refuse(s.headers, s.body);
    });
    it('a tampered body', () => {
      const s = genuine(decision('declined'));
      return refuse(s.headers, s.body.replace('"declined"', '"approved"').replace('9102', '9001'));
    });
    it('a missing signature header', () => {
      const s = genuine(decision('approved'));
      return refuse({ 'content-type': 'application/json', 'x-auth-client': API_KEY }, s.body);
    });
    it.each([
      ['empty', ''],
      ['63 hex digits', 'a'.repeat(63)],
      ['non-hex', 'z'.repeat(64)],
      ['prefixed', `sha256=${'a'.repeat(64)}`],
    ])('a malformed signature header: %s', (_name, value) => {
      const s = genuine(decision('approved'));
      return refuse({ ...s.headers, 'x-hmac-signature': value }, s.body);
    });
    it('a wrong X-AUTH-CLIENT', () => {
      const s = genuine(decision('approved'), SECRET, 'another-integration');
      return refuse(s.headers, s.body);
    });
    it('a missing X-AUTH-CLIENT', () => {
      const s = genuine(decision('approved'), SECRET, null);
      return refuse(s.headers, s.body);
    });
    it('the tenant secret on the route without a tenant', () => {
      const s = genuine(decision('approved'), TENANT_SECRET, TENANT_API_KEY);
      return refuse(s.headers, s.body);
    });
    it('a decision older than the maximum age (8 days)', () => {
      const s = genuine(decision('approved', new Date(Date.now() - 8 * 86_400_000)));
      return refuse(s.headers, s.body);
    });
    it('a decision from the future', () => {
      const s = genuine(decision('approved', new Date(Date.now() + 3_600_000)));
      return refuse(s.headers, s.body);
    });
    it('a repeated signature header, sent as raw bytes', async () => {
      const s = genuine(decision('approved'));
      const bytes =
        `POST ${ROUTE} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `x-auth-client: ${API_KEY}\r\n` +
        `x-hmac-signature: ${s.headers['x-hmac-signature']}\r\n` +
        `x-hmac-signature: ${s.headers['x-hmac-signature']}\r\n` +
        `content-length: ${Buffer.byteLength(s.body)}\r\nconnection: close\r\n\r\n${s.body}`;
      expect(await rawExchange(port, bytes)).toMatch(/^HTTP\/1\.1 401/);
      // The same request with the header once is genuine.
      const once = bytes.replace(`x-hmac-signature: ${s.headers['x-hmac-signature']}\r\n`, '');
      expect(await rawExchange(port, once)).toMatch(/^HTTP\/1\.1 200/);
      handlers.calls.length = 0;
    });
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: object, field: string) => {
      const res = await send(genuine(body));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    it('a session id that is no UUID', () => {
      const body = decision('approved');
      body.verification.id = 'session-1';
      return expect400(body, 'verification.id');
    });
    it('a code that contradicts the status', () => {
      const body = decision('approved');
      body.verification.code = 9102;
      return expect400(body, 'verification.code');
    });
    it('a numeric vendorData', () => {
      const body = decision('approved') as unknown as { verification: Record<string, unknown> };
      body.verification.vendorData = 4242;
      return expect400(body, 'verification.vendorData');
    });
    it('an event without its action', () => {
      const body = event('started') as Partial<VeriffEventFixture>;
      delete body.action;
      return expect400(body, 'action');
    });
  });

  describe('tenants', () => {
    it("accept a tenant's delivery under its own keys only, and apply its maximum age", async () => {
      const route = `${ROUTE}/acme`;
      expect((await send(genuine(decision('approved'), TENANT_SECRET, TENANT_API_KEY), route)).status).toBe(
        200,
      );
      expect(handlers.of('known')).toHaveLength(1);
      // The provider's keys are not the tenant's (the 404 of an unknown tenant).
      expect((await send(genuine(decision('approved')), route)).status).toBe(404);
      expect((await send(genuine(decision('approved'), TENANT_SECRET, API_KEY), route)).status).toBe(404);
      // Two hours old: inside the provider's 7.5 days, outside the tenant's hour.
      const old = decision('approved', new Date(Date.now() - 7_200_000));
      expect((await send(genuine(old, TENANT_SECRET, TENANT_API_KEY), route)).status).toBe(404);
      expect((await send(genuine(old), ROUTE)).status).toBe(200);
      expect(
        (await send(genuine(decision('approved'), TENANT_SECRET, TENANT_API_KEY), `${ROUTE}/nobody`)).status,
      ).toBe(404);
      expect(handlers.of('known')).toHaveLength(2);
    });
  });

  it('accepts an event the face-webhooks CLI sends', async () => {
    // The CLI signs without an API key: a module without `apiKey` receives it.
    const open = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ veriff: { secret: SECRET } })],
      providers: [VeriffHandlers],
    });
    try {
      await open.app.listen(0, '127.0.0.1');
      const openPort = (open.app.getHttpServer().address() as AddressInfo).port;
      const { code, stdout } = await cli(
        'send',
        'veriff.decision.approved',
        '--url',
        `http://127.0.0.1:${openPort}/webhooks/veriff`,
        '--secret',
        SECRET,
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(/veriff\.decision\.approved -> POST .*: 200 OK/);
      expect(open.app.get(VeriffHandlers).of('approved:approved:user_4242')).toHaveLength(1);
    } finally {
      await open.app.close();
    }
  });
});

describe.each(ADAPTERS)('Veriff replays after the de-duplication window (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: VeriffHandlers;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          veriff: { secret: SECRET, maxEventAgeSeconds: 1, deduplicationTtlMs: 1_000 },
        }),
      ],
      providers: [VeriffHandlers],
    }));
    handlers = app.get(VeriffHandlers);
  });
  afterAll(() => app.close());

  const send = (body: object) => {
    const text = JSON.stringify(body);
    return request(app.getHttpServer())
      .post(ROUTE)
      .set(veriffDocsHeaders(text, SECRET, null))
      .send(text);
  };

  it('refuses a captured decision once it is old enough to be forgotten', async () => {
    const fixture = decision('approved');
    expect((await send(fixture)).body).toEqual({ received: true });
    expect((await send(fixture)).body).toEqual({ received: true, duplicate: true });
    await waitFor('the replay to be refused', async () => (await send(fixture)).status === 401, 5_000);
    expect(handlers.of('approved:approved:user_4242')).toHaveLength(1);
  });

  it('cannot refuse a captured event webhook once forgotten: it carries no time', async () => {
    const fixture = event('submitted');
    expect((await send(fixture)).body).toEqual({ received: true });
    expect((await send(fixture)).body).toEqual({ received: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // The documented limit: handled again. Handlers of event webhooks must be idempotent.
    expect((await send(fixture)).body).toEqual({ received: true });
    expect(handlers.of('progress:submitted:7002')).toHaveLength(2);
  });
});

describe('Veriff options', () => {
  it('refuse to start without a secret, with an empty API key, or a maximum age past the window', async () => {
    const compile = (veriff: object) =>
      Test.createTestingModule({ imports: [FaceWebhooksModule.forRoot({ veriff } as never)] }).compile();
    await expect(compile({ secret: '' })).rejects.toThrow('veriff.secret is required');
    await expect(compile({ secret: SECRET, apiKey: '' })).rejects.toThrow('veriff.apiKey');
    await expect(compile({ secret: SECRET, deduplicationTtlMs: 60_000 })).rejects.toThrow(
      'veriff.maxEventAgeSeconds (648000) must not exceed veriff.deduplicationTtlMs',
    );
  });
});
