import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  PERSONA_EVENT_TYPES,
  personaAttribute,
  PersonaInquiryEventDto,
  PersonaVerificationEventDto,
  type AnyFaceEvent,
  type FaceEventOf,
} from 'nestjs-face-webhooks';
import { personaFixture, signPersonaRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { cli } from './support/cli.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { rawExchange, rawPost } from './support/raw-http.js';

const SECRET = 'wbhsec_e2e_current';
const SECOND_SECRET = 'wbhsec_e2e_next';
const TENANT_SECRET = 'wbhsec_e2e_tenant_acme';
const ROUTE = '/webhooks/persona';
const now = () => Math.floor(Date.now() / 1000);

/**
 * Persona publishes no server-side SDK and no signed example. This signer is written from its
 * "Checking signatures" documentation alone (the Python sample: `hmac.new(secret.encode(),
 * (t + '.' + body).encode(), 'sha256').hexdigest()`, header `t=<t>,v1=<digest>`, and two
 * space-separated sets while secrets rotate), independently of the library's signer and verifier.
 */
function personaDocsSignature(secrets: readonly string[], body: string, t = now()): string {
  return secrets
    .map((secret) => {
      const digest = crypto.createHmac('sha256', Buffer.from(secret, 'utf8'));
      return `t=${t},v1=${digest.update(Buffer.from(`${t}.${body}`, 'utf8')).digest('hex')}`;
    })
    .join(' ');
}

@Injectable()
class PersonaHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent('persona.inquiry.approved')
  onApproved(event: FaceEventOf<'persona.inquiry.approved'>): void {
    // Typed: the inquiry, its status and your user's reference id.
    const inquiry = event.data.data.attributes.payload.data;
    this.calls.push({ handler: `approved:${inquiry.attributes.status}`, event });
  }

  @OnFaceEvent('persona.inquiry.marked-for-review')
  onReview(event: FaceEventOf<'persona.inquiry.marked-for-review'>): void {
    const reference = personaAttribute(event.data.data.attributes.payload.data.attributes, 'reference-id');
    this.calls.push({ handler: `review:${String(reference)}`, event });
  }

  @OnFaceEvent('persona.verification.*')
  onVerification(event: FaceEventOf<'persona.verification.*'>): void {
    const verification = event.data.data.attributes.payload.data;
    this.calls.push({
      handler: `verification:${verification.type}:${verification.attributes.status}`,
      event,
    });
  }

  @OnFaceEvent([...PERSONA_EVENT_TYPES.map((type) => `persona.${type}` as const)])
  onKnown(event: FaceEventOf<'persona.**'>): void {
    this.calls.push({ handler: 'known', event });
  }

  @OnFaceEvent('persona.**')
  onAny(event: FaceEventOf<'persona.**'>): void {
    this.calls.push({ handler: 'any', event });
  }

  of(handler: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler === handler).map((call) => call.event);
  }
}

describe.each(ADAPTERS)('Persona deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: PersonaHandlers;
  let port: number;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          persona: {
            secret: [SECRET, SECOND_SECRET],
            tenants: {
              resolve: (tenant) =>
                tenant === 'acme' ? { secret: TENANT_SECRET, toleranceSeconds: 30 } : undefined,
            },
          },
        }),
      ],
      providers: [PersonaHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    handlers = app.get(PersonaHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  /** A delivery signed as the docs describe, by the independent signer above. */
  const genuine = (body: object, secrets: readonly string[] = [SECRET], t?: number) => {
    const text = JSON.stringify(body);
    return {
      headers: {
        'content-type': 'application/json',
        'persona-signature': personaDocsSignature(secrets, text, t),
      },
      body: text,
    };
  };
  const send = (signed: { headers: Record<string, string>; body: string }, route = ROUTE) =>
    request(app.getHttpServer()).post(route).set(signed.headers).send(signed.body);

  it('accepts a genuine inquiry.approved once, typed, and answers its retry as a duplicate', async () => {
    const fixture = personaFixture('inquiry.approved');
    const first = await send(genuine(fixture));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true });
    const [event] = handlers.of('approved:approved');
    expect(handlers.of('approved:approved')).toHaveLength(1);
    expect(event).toMatchObject({
      provider: 'persona',
      type: 'persona.inquiry.approved',
      id: fixture.data.id,
    });
    expect(event!.data).toBeInstanceOf(PersonaInquiryEventDto);
    expect(event!.occurredAt.toISOString()).toBe(fixture.data.attributes['created-at']);

    // Persona's retry: the same event, signed again a little later.
    const retry = await send(genuine(fixture, [SECRET], now() + 5));
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('approved:approved')).toHaveLength(1);
  });

  it.each(PERSONA_EVENT_TYPES.map((type) => [type]))('accepts %s for its typed handlers', async (type) => {
    const fixture = personaFixture(type);
    expect((await send(genuine(fixture))).status).toBe(200);
    expect(handlers.of('known').map((e) => e.type)).toEqual([`persona.${type}`]);
    expect(handlers.of('any')).toHaveLength(1);
    if (type === 'inquiry.marked-for-review') expect(handlers.of('review:user_4242')).toHaveLength(1);
    if (type.startsWith('verification.')) {
      const status = type === 'verification.passed' ? 'passed' : 'failed';
      expect(handlers.of(`verification:verification/government-id:${status}`)).toHaveLength(1);
      expect(handlers.of('known')[0]!.data).toBeInstanceOf(PersonaVerificationEventDto);
    }
  });

  it('accepts a selfie verification and a webhook set to camelCase keys', async () => {
    const selfie = personaFixture('verification.passed');
    selfie.data.attributes.payload.data.type = 'verification/selfie';
    expect((await send(genuine(selfie))).status).toBe(200);
    expect(handlers.of('verification:verification/selfie:passed')).toHaveLength(1);

    const camel = JSON.parse(
      JSON.stringify(personaFixture('inquiry.marked-for-review')).replace(
        /"([a-z]+)-([a-z])([a-z]*)":/g,
        (_m, a: string, b: string, c: string) => `"${a}${b.toUpperCase()}${c}":`,
      ),
    ) as { data: { attributes: Record<string, unknown> } };
    expect(camel.data.attributes).toHaveProperty('createdAt');
    expect((await send(genuine(camel))).status).toBe(200);
    expect(handlers.of('review:user_4242')).toHaveLength(1);
  });

  it('accepts an event it does not type, for wildcard handlers only, and logs it', async () => {
    const fixture = personaFixture('inquiry.created');
    expect((await send(genuine(fixture))).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(0);
    expect(handlers.of('any').map((e) => e.type)).toEqual(['persona.inquiry.created']);
    expect(logger.find('warn', 'persona.inquiry.created')).toHaveLength(1);
  });

  it('accepts the second configured secret, and the header Persona sends while rotating', async () => {
    expect((await send(genuine(personaFixture('inquiry.completed'), [SECOND_SECRET]))).status).toBe(200);
    const rotating = genuine(personaFixture('inquiry.declined'), ['wbhsec_retired', SECRET]);
    expect(rotating.headers['persona-signature'].split(' ')).toHaveLength(2);
    expect((await send(rotating)).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(2);
  });

  it("signs with the library's signer what the docs' verification accepts", async () => {
    const signed = signPersonaRequest({ secret: SECRET, body: personaFixture('inquiry.failed') });
    const t = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signed.headers['persona-signature']!)!;
    expect(personaDocsSignature([SECRET], signed.body, Number(t[1]))).toBe(
      signed.headers['persona-signature'],
    );
    expect((await send(signed)).status).toBe(200);
  });

  describe('refuses with a bare 401 and no handler call', () => {
    const refuse = async (headers: Record<string, string>, body: string) => {
      const res = await request(app.getHttpServer()).post(ROUTE).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    };

    it('a forged signature (wrong secret)', () => {
      const s = genuine(personaFixture('inquiry.approved'), ['wbhsec_attacker']);
      return refuse(s.headers, s.body);
    });
    it('a tampered body', () => {
      const s = genuine(personaFixture('inquiry.declined'));
      return refuse(s.headers, s.body.replace('"inquiry.declined"', '"inquiry.approved"'));
    });
    it('a stale timestamp (6 minutes old)', () => {
      const s = genuine(personaFixture('inquiry.approved'), [SECRET], now() - 360);
      return refuse(s.headers, s.body);
    });
    it('a future timestamp (6 minutes ahead)', () => {
      const s = genuine(personaFixture('inquiry.approved'), [SECRET], now() + 360);
      return refuse(s.headers, s.body);
    });
    it('a missing signature header', () => {
      const s = genuine(personaFixture('inquiry.approved'));
      return refuse({ 'content-type': 'application/json' }, s.body);
    });
    it('the tenant secret on the route without a tenant', () => {
      const s = genuine(personaFixture('inquiry.approved'), [TENANT_SECRET]);
      return refuse(s.headers, s.body);
    });
    it.each([
      ['no v1', () => `t=${now()}`],
      ['no t', (v1: string) => `v1=${v1}`],
      ['v1 first', (v1: string) => `v1=${v1},t=${now()}`],
      ['non-hex v1', () => `t=${now()},v1=${'g'.repeat(64)}`],
      ['an absurd t', (v1: string) => `t=1e99,v1=${v1}`],
      ['garbage', () => '\u00ff;;==,,'],
    ])('a malformed header: %s', async (_name, header) => {
      const s = genuine(personaFixture('inquiry.approved'));
      const v1 = /v1=([0-9a-f]+)/.exec(s.headers['persona-signature'])![1]!;
      await refuse({ 'content-type': 'application/json', 'persona-signature': header(v1) }, s.body);
    });
    it('a repeated signature header, sent as raw bytes', async () => {
      const s = genuine(personaFixture('inquiry.approved'));
      const answer = await rawPost(
        port,
        ROUTE,
        {
          host: '127.0.0.1',
          'content-type': 'application/json',
          'persona-signature': s.headers['persona-signature'],
        },
        s.body,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      handlers.calls.length = 0;
      const fresh = genuine(personaFixture('inquiry.approved'));
      const bytes =
        `POST ${ROUTE} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `persona-signature: ${fresh.headers['persona-signature']}\r\n` +
        `persona-signature: ${fresh.headers['persona-signature']}\r\n` +
        `content-length: ${Buffer.byteLength(fresh.body)}\r\nconnection: close\r\n\r\n${fresh.body}`;
      expect(await rawExchange(port, bytes)).toMatch(/^HTTP\/1\.1 401/);
      expect(handlers.calls).toHaveLength(0);
    });
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: object, field: string) => {
      const res = await send(genuine(body));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    it('a missing event id', () => {
      const body = personaFixture('inquiry.approved') as { data: Partial<{ id: string }> };
      delete body.data.id;
      return expect400(body, 'data.id');
    });
    it('an inquiry event whose payload is no inquiry', () => {
      const body = personaFixture('inquiry.approved');
      body.data.attributes.payload.data.id = 'acc_1';
      return expect400(body, 'data.attributes.payload.data.id');
    });
    it('a verification without status', () => {
      const body = personaFixture('verification.passed');
      delete body.data.attributes.payload.data.attributes.status;
      return expect400(body, 'data.attributes.payload.data.attributes.status');
    });
    it('a numeric reference-id', () => {
      const body = personaFixture('inquiry.marked-for-review');
      body.data.attributes.payload.data.attributes['reference-id'] = 12;
      return expect400(body, 'reference-id');
    });
    it('a body that is not the JSON:API envelope', () => expect400({ id: 'evt_1', name: 'x' }, 'data'));
  });

  describe('tenants', () => {
    it("accept a tenant's delivery under its own secret only, and apply its tolerance", async () => {
      const route = `${ROUTE}/acme`;
      expect((await send(genuine(personaFixture('inquiry.approved'), [TENANT_SECRET]), route)).status).toBe(
        200,
      );
      expect(handlers.of('known')).toHaveLength(1);
      // The provider's secret is not the tenant's (a tenant route refuses with the 404 of an unknown tenant).
      expect((await send(genuine(personaFixture('inquiry.approved'), [SECRET]), route)).status).toBe(404);
      // 60 s old: inside the provider's 300 s, outside the tenant's 30 s.
      const old = genuine(personaFixture('inquiry.approved'), [TENANT_SECRET], now() - 60);
      expect((await send(old, route)).status).toBe(404);
      expect(
        (await send(genuine(personaFixture('inquiry.approved'), [TENANT_SECRET], now() - 20), route)).status,
      ).toBe(200);
      expect(
        (await send(genuine(personaFixture('inquiry.approved'), [TENANT_SECRET]), `${ROUTE}/nobody`)).status,
      ).toBe(404);
      expect(handlers.of('known')).toHaveLength(2);
    });
  });

  it('accepts an event the face-webhooks CLI sends', async () => {
    const base = `http://127.0.0.1:${port}/webhooks`;
    const { code, stdout } = await cli(
      'send',
      'persona.inquiry.marked-for-review',
      '--url',
      `${base}/persona`,
      '--secret',
      SECRET,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/persona\.inquiry\.marked-for-review -> POST .*: 200 OK/);
    expect(handlers.of('review:user_4242').map((e) => e.type)).toEqual(['persona.inquiry.marked-for-review']);
  });
});

describe('Persona options', () => {
  it('refuse to start without a secret, or with a bad tolerance', async () => {
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ persona: { secret: '' } })],
      }).compile(),
    ).rejects.toThrow('persona.secret is required');
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ persona: { secret: SECRET, toleranceSeconds: 0 } })],
      }).compile(),
    ).rejects.toThrow('persona.toleranceSeconds');
  });
});
