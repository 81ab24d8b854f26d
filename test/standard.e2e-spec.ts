import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { Injectable, type INestApplication } from '@nestjs/common';
import { IsIn, IsInt, IsString, Matches, Min } from 'class-validator';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  StandardWebhookEventDto,
  type AnyFaceEvent,
  type FaceEventOf,
  type StandardWebhookPayload,
} from 'nestjs-face-webhooks';
import { signStandardWebhookRequest, standardWebhookFixture } from 'nestjs-face-webhooks/testing';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { rawExchange } from './support/raw-http.js';
import { cli } from './support/cli.js';

/** The app's own DTO for the data of its `invoice.paid` events. */
class InvoicePaidData {
  @IsString() @Matches(/^in_/) id!: string;
  @IsInt() @Min(0) amountPaid!: number;
  @IsIn(['usd', 'eur']) currency!: string;
}

declare module 'nestjs-face-webhooks' {
  interface FaceEventMap {
    'standard.invoice.paid': StandardWebhookPayload<InvoicePaidData>;
  }
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_b2xkLXN0YW5kYXJkLXdlYmhvb2tzLXNlY3JldA==';
const ROUTE = '/webhooks/standard';
const now = () => Math.floor(Date.now() / 1000);

const sender = generateKeyPairSync('ed25519');
const PUBLIC_KEY = `whpk_${Buffer.from(sender.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64')}`;

@Injectable()
class InvoiceHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent('standard.invoice.paid')
  onPaid(event: FaceEventOf<'standard.invoice.paid'>): void {
    // Typed: the app's data class.
    const amount: number = event.data.data.amountPaid;
    this.calls.push({ handler: `paid:${amount}`, event });
  }

  @OnFaceEvent('**')
  onAny(event: AnyFaceEvent): void {
    this.calls.push({ handler: 'any', event });
  }

  of(prefix: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler.startsWith(prefix)).map((call) => call.event);
  }
}

const invoice = (data: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'invoice.paid',
    timestamp: new Date().toISOString(),
    data: { id: `in_${randomUUID()}`, amountPaid: 4200, currency: 'usd', ...data },
  });

/** A delivery signed by the official library: `new Webhook(secret).sign(id, date, payload)`. */
function official(secret: string, body: string, at = new Date(), id = `msg_${randomUUID()}`) {
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    },
    body,
  };
}

/** A v1a delivery, signed with node:crypto as the spec describes. */
function ed25519(body: string, id = `msg_${randomUUID()}`, timestamp = now()) {
  const signature = sign(null, Buffer.from(`${id}.${timestamp}.${body}`), sender.privateKey).toString(
    'base64',
  );
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1a,${signature}`,
    },
    body,
  };
}

describe.each(ADAPTERS)('Standard Webhooks deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: InvoiceHandlers;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          standard: {
            secret: [SECRET, OLD_SECRET],
            publicKey: PUBLIC_KEY,
            events: { 'invoice.paid': InvoicePaidData },
          },
        }),
      ],
      providers: [InvoiceHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    handlers = app.get(InvoiceHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  const send = (signed: { headers: Record<string, string>; body: string }, body = signed.body) =>
    request(app.getHttpServer()).post(ROUTE).set(signed.headers).send(body);

  it('accepts a delivery signed by the official library, handled once by the typed handler', async () => {
    const delivery = official(SECRET, invoice({ amountPaid: 1234 }));
    const res = await send(delivery);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    const [event] = handlers.of('paid:1234');
    expect(handlers.of('paid:')).toHaveLength(1);
    expect(event).toMatchObject({
      provider: 'standard',
      type: 'standard.invoice.paid',
      id: delivery.headers['webhook-id'],
    });
    expect(event!.data).toBeInstanceOf(StandardWebhookEventDto);
    expect((event!.data as StandardWebhookEventDto).data).toBeInstanceOf(InvoicePaidData);
    expect(event!.occurredAt.toISOString()).toBe(JSON.parse(delivery.body).timestamp);

    // The same delivery again: a duplicate, not handled twice.
    const again = await send(delivery);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    // A retry: same webhook-id, new timestamp and signature.
    const retry = await send(
      official(SECRET, delivery.body, new Date(Date.now() + 5000), delivery.headers['webhook-id']),
    );
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('paid:')).toHaveLength(1);
  });

  it("accepts our signer's deliveries, which the official library verifies too", async () => {
    const signed = signStandardWebhookRequest({ secret: SECRET, body: invoice() });
    expect(new Webhook(SECRET).verify(signed.body, signed.headers)).toEqual(JSON.parse(signed.body));
    expect((await send(signed)).status).toBe(200);
    expect(handlers.of('paid:')).toHaveLength(1);
  });

  it('accepts the svix- header names', async () => {
    const delivery = official(SECRET, invoice());
    const svix = {
      'content-type': 'application/json',
      'svix-id': delivery.headers['webhook-id'],
      'svix-timestamp': delivery.headers['webhook-timestamp'],
      'svix-signature': delivery.headers['webhook-signature'],
    };
    expect((await send({ headers: svix, body: delivery.body })).status).toBe(200);
    expect(handlers.of('paid:')).toHaveLength(1);
  });

  it('accepts a v1a (Ed25519) delivery, which the official library cannot verify', async () => {
    const delivery = ed25519(invoice());
    expect(() => new Webhook(SECRET).verify(delivery.body, delivery.headers)).toThrow();
    expect((await send(delivery)).status).toBe(200);
    expect(handlers.of('paid:')).toHaveLength(1);
  });

  it('accepts rotation: the second secret of the list, and a header with two signatures', async () => {
    expect((await send(official(OLD_SECRET, invoice()))).status).toBe(200);
    const two = official(SECRET, invoice());
    const unknown = new Webhook('whsec_dW5rbm93bi1zZWNyZXQ=').sign(
      two.headers['webhook-id'],
      new Date(Number(two.headers['webhook-timestamp']) * 1000),
      two.body,
    );
    two.headers['webhook-signature'] = `${unknown} ${two.headers['webhook-signature']}`;
    expect((await send(two)).status).toBe(200);
    expect(handlers.of('paid:')).toHaveLength(2);
  });

  it('accepts a type it does not know, for wildcard handlers only', async () => {
    const body = JSON.stringify(standardWebhookFixture('contact.created'));
    expect((await send(official(SECRET, body))).status).toBe(200);
    expect(handlers.of('paid:')).toHaveLength(0);
    expect(handlers.of('any').map((event) => event.type)).toEqual(['standard.contact.created']);
  });

  describe('refuses with a bare 401 and no handler call', () => {
    const refuse = async (headers: Record<string, string>, body: string) => {
      const res = await request(app.getHttpServer()).post(ROUTE).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    };

    it('a forged signature (wrong secret)', () => {
      const d = official('whsec_YXR0YWNrZXI=', invoice());
      return refuse(d.headers, d.body);
    });
    it('a tampered body', () => {
      const d = official(SECRET, invoice());
      return refuse(d.headers, d.body.replace('4200', '1'));
    });
    it('a stale timestamp (6 minutes old)', () => {
      const d = official(SECRET, invoice(), new Date(Date.now() - 360_000));
      return refuse(d.headers, d.body);
    });
    it('a future timestamp (6 minutes ahead)', () => {
      const d = official(SECRET, invoice(), new Date(Date.now() + 360_000));
      return refuse(d.headers, d.body);
    });
    it('a missing signature header', () => {
      const { 'webhook-signature': _, ...headers } = official(SECRET, invoice()).headers;
      return refuse(headers, invoice());
    });
    it('webhook- and svix- names that disagree', () => {
      const d = official(SECRET, invoice());
      return refuse({ ...d.headers, 'svix-id': 'msg_other' }, d.body);
    });
    it('a v1a signature under an unknown key', () => {
      const d = ed25519(invoice());
      const other = generateKeyPairSync('ed25519');
      const id = d.headers['webhook-id'];
      const t = d.headers['webhook-timestamp'];
      const forged = sign(null, Buffer.from(`${id}.${t}.${d.body}`), other.privateKey).toString('base64');
      return refuse({ ...d.headers, 'webhook-signature': `v1a,${forged}` }, d.body);
    });
    it.each(['webhook-signature', 'webhook-id', 'webhook-timestamp'])(
      'a repeated %s header',
      async (name) => {
        const d = official(SECRET, invoice());
        const port = (app.getHttpServer().address() as { port: number }).port;
        // Sent as raw bytes: an HTTP client would join the two into one header.
        const headers = Object.entries({ ...d.headers, host: '127.0.0.1' })
          .flatMap(([header, value]) =>
            header === name
              ? [
                  [header, value],
                  [header, value],
                ]
              : [[header, value]],
          )
          .map(([header, value]) => `${header}: ${value}\r\n`)
          .join('');
        const response = await rawExchange(
          port,
          `POST ${ROUTE} HTTP/1.1\r\n${headers}content-length: ${Buffer.byteLength(d.body)}\r\nconnection: close\r\n\r\n${d.body}`,
        );
        expect(response).toMatch(/^HTTP\/1\.1 401 /);
        expect(handlers.calls).toHaveLength(0);
      },
    );
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: string, field: string) => {
      const res = await send(official(SECRET, body));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    it("data that breaks the app's DTO", () => expect400(invoice({ currency: 'gbp' }), 'data.currency'));
    it('a data field of the wrong type', () => expect400(invoice({ amountPaid: '42' }), 'data.amountPaid'));
    it('a type with wildcard characters', () =>
      expect400(JSON.stringify({ ...JSON.parse(invoice()), type: 'invoice.*' }), 'type'));
    it('a timestamp that is not ISO 8601', () =>
      expect400(JSON.stringify({ ...JSON.parse(invoice()), timestamp: 'yesterday' }), 'timestamp'));
    it('no data', () =>
      expect400(JSON.stringify({ type: 'contact.created', timestamp: new Date().toISOString() }), 'data'));
  });

  it('accepts an event the CLI sends', async () => {
    const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}${ROUTE}`;
    const result = await cli(
      'send',
      'standard.invoice.paid',
      '--url',
      url,
      '--secret',
      SECRET,
      '--set',
      'data.currency=eur',
    );
    expect(result.stdout).toContain('{"received":true}');
    expect(result.code).toBe(0);
    const [event] = handlers.of('paid:4200');
    expect((event!.data as StandardWebhookPayload<InvoicePaidData>).data.currency).toBe('eur');
  });
});

describe.each(ADAPTERS)('Standard Webhooks tenants (%s)', (adapter) => {
  it('verifies each tenant with its own keys and tolerance, never the provider keys', async () => {
    const tenantSecret = 'whsec_dGVuYW50LWFjbWUtc2VjcmV0';
    const { app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          standard: {
            secret: SECRET,
            tenants: {
              resolve: (tenant) =>
                tenant === 'acme'
                  ? { secret: tenantSecret, toleranceSeconds: 60 }
                  : tenant === 'keyed'
                    ? { publicKey: PUBLIC_KEY }
                    : null,
            },
          },
        }),
      ],
      providers: [InvoiceHandlers],
    });
    try {
      const server = app.getHttpServer();
      const post = (path: string, d: { headers: Record<string, string>; body: string }) =>
        request(server).post(path).set(d.headers).send(d.body);
      expect((await post(`${ROUTE}/acme`, official(tenantSecret, invoice()))).status).toBe(200);
      // A tenant route refuses with the 404 an unknown tenant gets.
      expect((await post(`${ROUTE}/acme`, official(SECRET, invoice()))).status).toBe(404);
      // The tenant's own tolerance: 90 s old passes the provider's 300 s but not its 60 s.
      const old = new Date(Date.now() - 90_000);
      expect((await post(`${ROUTE}/acme`, official(tenantSecret, invoice(), old))).status).toBe(404);
      expect((await post(`${ROUTE}/keyed`, ed25519(invoice()))).status).toBe(200);
      expect((await post(`${ROUTE}/keyed`, official(SECRET, invoice()))).status).toBe(404);
      expect((await post(ROUTE, official(SECRET, invoice()))).status).toBe(200);
      expect((await post(`${ROUTE}/nobody`, official(SECRET, invoice()))).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
