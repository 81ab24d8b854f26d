import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  STRIPE_IDENTITY_EVENT_TYPES,
  StripeVerificationSessionEventDto,
  type AnyFaceEvent,
  type FaceEventOf,
} from 'nestjs-face-webhooks';
import { signStripeIdentityRequest, stripeIdentityFixture } from 'nestjs-face-webhooks/testing';
import Stripe from 'stripe';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { cli } from './support/cli.js';
import { ADAPTERS, createTestApp, listenOnLoopback } from './support/create-app.js';
import { rawExchange, rawPost } from './support/raw-http.js';

// Stripe Identity over real HTTP, with deliveries signed by Stripe's own SDK (stripe-node 23.2.0).
const SECRET = 'whsec_e2e_stripe_current';
const OLD_SECRET = 'whsec_e2e_stripe_previous';
const ROUTE = '/webhooks/stripe-identity';
const VERIFIED = 'identity.verification_session.verified';
const now = () => Math.floor(Date.now() / 1000);

/** A delivery exactly as Stripe sends it: the SDK's header over the exact body. */
const stripeSigned = (body: object, secret = SECRET, timestamp?: number) => {
  const payload = JSON.stringify(body);
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
    },
    body: payload,
  };
};

@Injectable()
class StripeIdentityHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent('stripe-identity.identity.verification_session.verified')
  onVerified(event: FaceEventOf<'stripe-identity.identity.verification_session.verified'>): void {
    // Typed: the session, its status and the app's link to its user.
    const session = event.data.data.object;
    const status: 'requires_input' | 'processing' | 'verified' | 'canceled' = session.status;
    this.calls.push({ handler: `verified:${status}:${session.client_reference_id}`, event });
  }

  @OnFaceEvent('stripe-identity.identity.verification_session.requires_input')
  onRequiresInput(event: FaceEventOf<'stripe-identity.identity.verification_session.requires_input'>): void {
    this.calls.push({ handler: `requires_input:${event.data.data.object.last_error?.code}`, event });
  }

  @OnFaceEvent([...STRIPE_IDENTITY_EVENT_TYPES.map((type) => `stripe-identity.${type}` as const)])
  onKnown(event: FaceEventOf<'stripe-identity.**'>): void {
    this.calls.push({ handler: 'known', event });
  }

  @OnFaceEvent('stripe-identity.**')
  onAny(event: AnyFaceEvent): void {
    this.calls.push({ handler: 'any', event });
  }

  of(prefix: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler.startsWith(prefix)).map((call) => call.event);
  }
}

describe.each(ADAPTERS)('Stripe Identity deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: StripeIdentityHandlers;
  let port: number;
  let url: string;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ 'stripe-identity': { secret: [SECRET, OLD_SECRET] } })],
      providers: [StripeIdentityHandlers],
    }));
    url = `${await listenOnLoopback(app)}${ROUTE}`;
    port = Number(new URL(url).port);
    handlers = app.get(StripeIdentityHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  const send = (signed: { headers: Record<string, string>; body: string }, body = signed.body) =>
    request(app.getHttpServer()).post(ROUTE).set(signed.headers).send(body);

  it('accepts a delivery signed by stripe-node, hands it typed to its handler once, and answers a repeat as a duplicate', async () => {
    const fixture = stripeIdentityFixture(VERIFIED);
    const signed = stripeSigned(fixture);
    const first = await send(signed);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true });
    const [event] = handlers.of('verified:verified:user_8412');
    expect(handlers.of('verified:')).toHaveLength(1);
    expect(event).toMatchObject({
      provider: 'stripe-identity',
      type: `stripe-identity.${VERIFIED}`,
      id: fixture.id,
    });
    expect(event!.data).toBeInstanceOf(StripeVerificationSessionEventDto);
    expect(event!.occurredAt.getTime()).toBe(fixture.created * 1000);

    const again = await send(signed);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    // Stripe's retry: the same event, signed again later with a new t.
    const retry = await send(stripeSigned(fixture, SECRET, now() + 5));
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('verified:')).toHaveLength(1);
    expect(handlers.of('any')).toHaveLength(1);
  });

  it.each(STRIPE_IDENTITY_EVENT_TYPES.map((type) => [type]))(
    'accepts %s and routes it to its handlers',
    async (type) => {
      const fixture = stripeIdentityFixture(type);
      expect((await send(stripeSigned(fixture))).status).toBe(200);
      expect(handlers.of('known').map((e) => e.id)).toEqual([fixture.id]);
      expect(handlers.of('verified:')).toHaveLength(type === VERIFIED ? 1 : 0);
      if (type === 'identity.verification_session.requires_input')
        expect(handlers.of('requires_input:document_expired')).toHaveLength(1);
    },
  );

  it('accepts the second secret of the list, and a header with two v1 while Stripe rolls a secret', async () => {
    expect((await send(stripeSigned(stripeIdentityFixture(VERIFIED), OLD_SECRET))).status).toBe(200);
    // During a roll Stripe signs with the old and the new secret: one v1 each, plus v0 in test mode.
    const rolled = signStripeIdentityRequest({
      secret: ['whsec_rolled_out_elsewhere', SECRET],
      body: stripeIdentityFixture(VERIFIED),
      v0: true,
    });
    expect(rolled.headers['stripe-signature']!.match(/v1=/g)).toHaveLength(2);
    expect((await send(rolled)).status).toBe(200);
    expect(handlers.of('verified:')).toHaveLength(2);
  });

  it('signs what stripe-node itself verifies (the testing signer)', () => {
    const signed = signStripeIdentityRequest({ secret: SECRET, body: stripeIdentityFixture(VERIFIED) });
    const event = Stripe.webhooks.constructEvent(signed.body, signed.headers['stripe-signature']!, SECRET);
    expect(event.type).toBe(VERIFIED);
  });

  it('accepts an Identity type it does not know, for wildcard handlers only, and logs it', async () => {
    const session = {
      ...stripeIdentityFixture('identity.verification_session.created'),
      type: 'identity.verification_session.escalated',
    };
    const report = {
      ...stripeIdentityFixture('identity.verification_session.created'),
      type: 'identity.verification_report.created',
      data: {
        object: {
          id: 'vr_1NuNBELkdIwHu7ixq2xKqLmT',
          object: 'identity.verification_report',
          type: 'document',
        },
      },
    };
    expect((await send(stripeSigned(session))).status).toBe(200);
    expect((await send(stripeSigned(report))).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(0);
    expect(handlers.of('any').map((e) => e.type)).toEqual([
      'stripe-identity.identity.verification_session.escalated',
      'stripe-identity.identity.verification_report.created',
    ]);
    expect(logger.find('warn', 'stripe-identity.identity.verification_report.created')).toHaveLength(1);
  });

  it('is sent by the CLI, and accepted', async () => {
    const { code, stdout } = await cli(
      'send',
      `stripe-identity.${VERIFIED}`,
      '--url',
      url,
      '--secret',
      SECRET,
    );
    expect(stdout).toMatch(/stripe-identity\.identity\.verification_session\.verified -> POST .*: 200 OK/);
    expect(code).toBe(0);
    expect(handlers.of('verified:')).toHaveLength(1);
  });

  describe('refuses with a bare 401 and no handler call', () => {
    const refuse = async (headers: Record<string, string>, body: string) => {
      const res = await request(app.getHttpServer()).post(ROUTE).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    };

    it('a forged delivery (another secret)', () => {
      const s = stripeSigned(stripeIdentityFixture(VERIFIED), 'whsec_attacker');
      return refuse(s.headers, s.body);
    });
    it('a tampered body', () => {
      const s = stripeSigned(stripeIdentityFixture('identity.verification_session.requires_input'));
      return refuse(s.headers, s.body.replace('"requires_input"', '"verified"'));
    });
    it('a stale timestamp (6 minutes old), as stripe-node refuses it', () => {
      const s = stripeSigned(stripeIdentityFixture(VERIFIED), SECRET, now() - 360);
      expect(() => Stripe.webhooks.constructEvent(s.body, s.headers['stripe-signature'], SECRET)).toThrow(
        'Timestamp outside the tolerance zone',
      );
      return refuse(s.headers, s.body);
    });
    it('a future timestamp (6 minutes ahead), which stripe-node alone would accept', () => {
      const s = stripeSigned(stripeIdentityFixture(VERIFIED), SECRET, now() + 360);
      expect(Stripe.webhooks.constructEvent(s.body, s.headers['stripe-signature'], SECRET).type).toBe(
        VERIFIED,
      );
      return refuse(s.headers, s.body);
    });
    it('a missing Stripe-Signature header', () => {
      const s = stripeSigned(stripeIdentityFixture(VERIFIED));
      return refuse({ 'content-type': 'application/json' }, s.body);
    });
    it.each([
      ['no t', (v1: string) => `v1=${v1}`],
      ['no v1 (v0 only)', (v1: string) => `t=${now()},v0=${v1}`],
      ['non-hex v1', () => `t=${now()},v1=${'g'.repeat(64)}`],
      ['an absurd t', (v1: string) => `t=1e99,v1=${v1}`],
      ['garbage', () => '\u00ff;;==,,'],
    ])('a malformed header: %s', async (_name, header) => {
      const s = stripeSigned(stripeIdentityFixture(VERIFIED));
      const v1 = /v1=([0-9a-f]+)/.exec(s.headers['stripe-signature'])![1]!;
      await refuse({ 'content-type': 'application/json', 'stripe-signature': header(v1) }, s.body);
    });
    it('a repeated Stripe-Signature header (raw bytes: HTTP clients join repeats)', async () => {
      const s = stripeSigned(stripeIdentityFixture(VERIFIED));
      const header = s.headers['stripe-signature'];
      const repeated = await rawExchange(
        port,
        `POST ${ROUTE} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
          `stripe-signature: ${header}\r\nstripe-signature: ${header}\r\n` +
          `content-length: ${Buffer.byteLength(s.body)}\r\nconnection: close\r\n\r\n${s.body}`,
      );
      expect(repeated).toMatch(/^HTTP\/1\.1 401 /);
      expect(handlers.calls).toHaveLength(0);
      // The same bytes with the header once are accepted: only the repeat was refused.
      const single = await rawPost(
        port,
        ROUTE,
        { host: '127.0.0.1', 'content-type': 'application/json', 'stripe-signature': header },
        s.body,
      );
      expect(single).toMatch(/^HTTP\/1\.1 200 /);
      expect(handlers.of('verified:')).toHaveLength(1);
    });
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: object, field: string) => {
      const res = await send(stripeSigned(body));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    const withSession = (change: Record<string, unknown>) => {
      const fixture = stripeIdentityFixture(VERIFIED);
      return { ...fixture, data: { object: { ...fixture.data.object, ...change } } };
    };

    it('an event that is not an Identity event (the endpoint listens to too much)', () =>
      expect400(
        { ...stripeIdentityFixture(VERIFIED), type: 'charge.succeeded' },
        'type must be a Stripe Identity event type',
      ));
    it('a thin (v2) event', () =>
      expect400({ ...stripeIdentityFixture(VERIFIED), object: 'v2.core.event' }, "object must be 'event'"));
    it('a missing event id', () =>
      expect400({ ...stripeIdentityFixture(VERIFIED), id: undefined }, 'id must be a Stripe event id'));
    it('created as a date string', () =>
      expect400(
        { ...stripeIdentityFixture(VERIFIED), created: '2026-12-05T10:00:00Z' },
        'created must be an integer',
      ));
    it('a session id that is not vs_', () => expect400(withSession({ id: 'pi_123' }), 'data.object.id'));
    it('a status Stripe does not document', () =>
      expect400(withSession({ status: 'approved' }), 'data.object.status'));
    it('last_error as a string', () =>
      expect400(withSession({ last_error: 'expired' }), 'data.object.last_error'));
    it('metadata missing', () => expect400(withSession({ metadata: undefined }), 'data.object.metadata'));
  });
});

describe.each(ADAPTERS)('Stripe Identity tenants (%s)', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    const tenants: Record<string, { secret: string; toleranceSeconds?: number }> = {
      acct_alpha: { secret: 'whsec_alpha' },
      acct_strict: { secret: 'whsec_strict', toleranceSeconds: 60 },
    };
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          'stripe-identity': { secret: SECRET, tenants: { resolve: (tenant) => tenants[tenant] ?? null } },
        }),
      ],
      providers: [StripeIdentityHandlers],
    }));
  });
  afterAll(() => app.close());

  const post = (path: string, signed: { headers: Record<string, string>; body: string }) =>
    request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);

  it("accepts a tenant's delivery with its own secret only, and its own tolerance", async () => {
    const handlers = app.get(StripeIdentityHandlers);
    const fixture = stripeIdentityFixture(VERIFIED);
    expect((await post(`${ROUTE}/acct_alpha`, stripeSigned(fixture, 'whsec_alpha'))).status).toBe(200);
    expect(handlers.of('verified:')[0]).toMatchObject({ id: fixture.id, tenant: 'acct_alpha' });
    // The provider's secret is not the tenant's. A tenant route refuses with the 404 an unknown
    // tenant gets, so a sender cannot tell which tenants exist.
    expect((await post(`${ROUTE}/acct_alpha`, stripeSigned(stripeIdentityFixture(VERIFIED)))).status).toBe(
      404,
    );
    // 120 s old: inside the default 300 s, outside the tenant's 60 s.
    const old = now() - 120;
    expect(
      (await post(`${ROUTE}/acct_alpha`, stripeSigned(stripeIdentityFixture(VERIFIED), 'whsec_alpha', old)))
        .status,
    ).toBe(200);
    expect(
      (await post(`${ROUTE}/acct_strict`, stripeSigned(stripeIdentityFixture(VERIFIED), 'whsec_strict', old)))
        .status,
    ).toBe(404);
    expect(handlers.of('verified:')).toHaveLength(2);
    expect((await post(`${ROUTE}/acct_unknown`, stripeSigned(stripeIdentityFixture(VERIFIED)))).status).toBe(
      404,
    );
    // The route without a tenant still takes the provider's secret.
    expect((await post(ROUTE, stripeSigned(stripeIdentityFixture(VERIFIED)))).status).toBe(200);
  });
});

describe('Stripe Identity options', () => {
  const compile = (options: object) =>
    Test.createTestingModule({
      imports: [FaceWebhooksModule.forRoot({ 'stripe-identity': options } as never)],
    }).compile();

  it('refuse to start without a secret, saying where it is', async () => {
    await expect(compile({ secret: '' })).rejects.toThrow(
      /stripe-identity\.secret is required: .*Signing secret/,
    );
  });
  it('refuse an API key given as the secret', async () => {
    await expect(compile({ secret: 'sk_test_123' })).rejects.toThrow(
      /starting with whsec_ \(not an API key\)/,
    );
  });
  it('refuse a tolerance out of range', async () => {
    await expect(compile({ secret: SECRET, toleranceSeconds: 0 })).rejects.toThrow(
      'stripe-identity.toleranceSeconds',
    );
  });
});
