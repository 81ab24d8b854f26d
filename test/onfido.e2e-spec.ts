import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { OnfidoInvalidSignatureError, WebhookEventVerifier } from '@onfido/api';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  ONFIDO_EVENT_TYPES,
  OnfidoCheckEventDto,
  OnfidoWorkflowRunEventDto,
  type AnyFaceEvent,
  type FaceEventOf,
} from 'nestjs-face-webhooks';
import {
  createFaceWebhooksTestingApp,
  onfidoFixture,
  signOnfidoRequest,
  TEST_SECRETS,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { cli } from './support/cli.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { rawExchange, rawPost } from './support/raw-http.js';

const TOKEN = 'onfido_e2e_current_token';
const SECOND_TOKEN = 'onfido_e2e_next_token';
const TENANT_TOKEN = 'onfido_e2e_tenant_acme';
const ROUTE = '/webhooks/onfido';

/**
 * Onfido's own mechanism, as its Node library (@onfido/api 6.2.0, WebhookEventVerifier) computes
 * the expected signature: `createHmac("sha256", webhookToken).update(rawEventBody).digest()`, sent
 * as hex in X-SHA2-Signature. Written independently of the library's signer and verifier.
 */
function onfidoSdkSignature(token: string, body: string): string {
  return crypto.createHmac('sha256', token).update(Buffer.from(body, 'utf8')).digest('hex');
}

/** Onfido's published example (onfido/onfido-node test/classic-webhook-event-verifier.test.ts). */
const PUBLISHED = {
  token: '_ABC123abc123ABC123abc123ABC123_',
  body: '{"payload":{"resource_type":"check","action":"check.completed","object":{"id":"check-123","status":"complete","completed_at_iso8601":"2020-01-01T00:00:00Z","href":"https://api.onfido.com/v3/checks/check-123"}}}',
  signature: 'a0082d7481f9f0a2907583dbe1f344d6d4c0d9989df2fd804f98479f60cd760e',
};

@Injectable()
class OnfidoHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent('onfido.check.completed')
  onCheck(event: FaceEventOf<'onfido.check.completed'>): void {
    // Typed: the check's id, status and href (fetch the check for its result).
    const check = event.data.payload.object;
    this.calls.push({ handler: `check:${check.status}`, event });
  }

  @OnFaceEvent('onfido.workflow_run.completed')
  onRun(event: FaceEventOf<'onfido.workflow_run.completed'>): void {
    const { object, resource } = event.data.payload;
    this.calls.push({ handler: `run:${object.status}:${resource?.customer_user_id}`, event });
  }

  @OnFaceEvent('onfido.report.*')
  onReport(event: FaceEventOf<'onfido.report.*'>): void {
    this.calls.push({ handler: `report:${event.data.payload.object.status}`, event });
  }

  @OnFaceEvent([...ONFIDO_EVENT_TYPES.map((type) => `onfido.${type}` as const)])
  onKnown(event: FaceEventOf<'onfido.**'>): void {
    this.calls.push({ handler: 'known', event });
  }

  @OnFaceEvent('onfido.**')
  onAny(event: FaceEventOf<'onfido.**'>): void {
    this.calls.push({ handler: 'any', event });
  }

  of(handler: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler === handler).map((call) => call.event);
  }
}

type Signed = { headers: Record<string, string>; body: string };

describe.each(ADAPTERS)('Onfido deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: OnfidoHandlers;
  let port: number;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          onfido: {
            secret: [TOKEN, SECOND_TOKEN],
            tenants: {
              resolve: (tenant) =>
                tenant === 'acme' ? { secret: TENANT_TOKEN, maxEventAgeSeconds: 60 } : undefined,
            },
          },
        }),
      ],
      providers: [OnfidoHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    handlers = app.get(OnfidoHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  /** A delivery signed with Onfido's mechanism, by the independent signer above. */
  const genuine = (body: object | string, token = TOKEN): Signed => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return {
      headers: { 'content-type': 'application/json', 'x-sha2-signature': onfidoSdkSignature(token, text) },
      body: text,
    };
  };
  const send = (signed: Signed, route = ROUTE) =>
    request(app.getHttpServer()).post(route).set(signed.headers).send(signed.body);
  const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

  it('accepts a genuine check.completed once, typed, and answers its retry as a duplicate', async () => {
    const fixture = onfidoFixture('check.completed');
    const signed = genuine(fixture);
    const first = await send(signed);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true });
    expect(handlers.of('check:complete')).toHaveLength(1);
    const [event] = handlers.of('check:complete');
    const object = fixture.payload.object;
    expect(event).toMatchObject({
      provider: 'onfido',
      type: 'onfido.check.completed',
      id: `check.completed:${object.id}:${object.completed_at_iso8601}:complete`,
    });
    expect(event!.data).toBeInstanceOf(OnfidoCheckEventDto);
    expect(event!.occurredAt.toISOString()).toBe(object.completed_at_iso8601!.replace('Z', '.000Z'));

    // Onfido's retry (or a resend): the same bytes, the same signature.
    const retry = await send(signed);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('check:complete')).toHaveLength(1);
  });

  it.each(ONFIDO_EVENT_TYPES.map((type) => [type]))('accepts %s for its typed handlers', async (type) => {
    expect((await send(genuine(onfidoFixture(type)))).status).toBe(200);
    expect(handlers.of('known').map((e) => e.type)).toEqual([`onfido.${type}`]);
    expect(handlers.of('any')).toHaveLength(1);
    if (type === 'workflow_run.completed') {
      expect(handlers.of('run:approved:user_4242')).toHaveLength(1);
      expect(handlers.of('known')[0]!.data).toBeInstanceOf(OnfidoWorkflowRunEventDto);
    }
    if (type.startsWith('report.'))
      expect(handlers.calls.some((c) => c.handler.startsWith('report:'))).toBe(true);
  });

  it("accepts what Onfido's library accepts, and signs what it accepts", async () => {
    const fixture = onfidoFixture('workflow_run.completed');
    const signed = genuine(fixture);
    // Onfido's own verifier reads it...
    expect(
      new WebhookEventVerifier(TOKEN).readPayload(signed.body, signed.headers['x-sha2-signature']!),
    ).toEqual(fixture);
    // ...and so does the module.
    expect((await send(signed)).status).toBe(200);
    expect(handlers.of('run:approved:user_4242')).toHaveLength(1);

    const ours = signOnfidoRequest({ secret: TOKEN, body: onfidoFixture('report.completed') });
    expect(() =>
      new WebhookEventVerifier(TOKEN).readPayload(ours.body, ours.headers['x-sha2-signature']!),
    ).not.toThrow();
    expect(() =>
      new WebhookEventVerifier(SECOND_TOKEN).readPayload(ours.body, ours.headers['x-sha2-signature']!),
    ).toThrow(OnfidoInvalidSignatureError);
    expect((await send(ours)).status).toBe(200);
    expect(handlers.of('report:complete')).toHaveLength(1);
  });

  it('accepts an event it does not type, for wildcard handlers only, and logs it', async () => {
    const fixture = onfidoFixture('watchlist_monitor.matches_updated');
    expect((await send(genuine(fixture))).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(0);
    expect(handlers.of('any').map((e) => e.type)).toEqual(['onfido.watchlist_monitor.matches_updated']);
    expect(logger.find('warn', 'onfido.watchlist_monitor.matches_updated')).toHaveLength(1);
  });

  it('accepts a new field anywhere in a typed event', async () => {
    const fixture = onfidoFixture('check.completed') as unknown as {
      payload: { object: Record<string, unknown>; [key: string]: unknown };
    };
    fixture.payload.object.result = 'clear';
    fixture.payload.brand_new = { nested: [1] };
    expect((await send(genuine(fixture))).status).toBe(200);
    expect(handlers.of('check:complete')).toHaveLength(1);
  });

  it('accepts the second configured token (rotation)', async () => {
    expect((await send(genuine(onfidoFixture('check.completed'), SECOND_TOKEN))).status).toBe(200);
    expect(handlers.of('check:complete')).toHaveLength(1);
  });

  describe('refuses with a bare 401 and no handler call', () => {
    const refuse = async (headers: Record<string, string>, body: string) => {
      const res = await request(app.getHttpServer()).post(ROUTE).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    };
    const fresh = () => genuine(onfidoFixture('check.completed'));

    it('a forged signature (wrong token)', () => {
      const s = genuine(onfidoFixture('check.completed'), 'attacker_token');
      return refuse(s.headers, s.body);
    });
    it('a tampered body', () => {
      const s = genuine(onfidoFixture('workflow_run.completed'));
      return refuse(s.headers, s.body.replace('"approved"', '"declined"'));
    });
    it('a missing signature header', () => refuse({ 'content-type': 'application/json' }, fresh().body));
    it('the tenant token on the route without a tenant', () => {
      const s = genuine(onfidoFixture('check.completed'), TENANT_TOKEN);
      return refuse(s.headers, s.body);
    });
    it.each([
      ['empty', () => ''],
      ['non-hex', () => 'z'.repeat(64)],
      ['too short', (hex: string) => hex.slice(0, 63)],
      ['too long', (hex: string) => `${hex}0`],
      ['prefixed', (hex: string) => `sha256=${hex}`],
      ['base64', (hex: string) => Buffer.from(hex, 'hex').toString('base64')],
    ])('a malformed header: %s', (_name, header) => {
      const s = fresh();
      return refuse(
        { 'content-type': 'application/json', 'x-sha2-signature': header(s.headers['x-sha2-signature']!) },
        s.body,
      );
    });
    it('an event older than maxEventAgeSeconds (7 days), genuinely signed', () => {
      const s = genuine(onfidoFixture('check.completed', secondsAgo(7 * 24 * 3600 + 60)));
      return refuse(s.headers, s.body);
    });
    it("Onfido's published example, genuine but from 2020", async () => {
      const local = await createTestApp({
        adapter,
        imports: [FaceWebhooksModule.forRoot({ onfido: { secret: PUBLISHED.token } })],
      });
      try {
        const res = await request(local.app.getHttpServer())
          .post(ROUTE)
          .set({ 'content-type': 'application/json', 'x-sha2-signature': PUBLISHED.signature })
          .send(PUBLISHED.body);
        expect(res.status).toBe(401);
        expect(local.logger.find('warn', 'older than maxEventAgeSeconds').length).toBeGreaterThan(0);
      } finally {
        await local.app.close();
      }
    });
    it('an event dated more than 5 minutes ahead', () => {
      const s = genuine(onfidoFixture('check.completed', secondsAgo(-600)));
      return refuse(s.headers, s.body);
    });
    it('a repeated signature header, sent as raw bytes', async () => {
      const s = fresh();
      const answer = await rawPost(
        port,
        ROUTE,
        {
          host: '127.0.0.1',
          'content-type': 'application/json',
          'x-sha2-signature': s.headers['x-sha2-signature']!,
        },
        s.body,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      handlers.calls.length = 0;
      const other = fresh();
      const signature = other.headers['x-sha2-signature']!;
      const bytes =
        `POST ${ROUTE} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `x-sha2-signature: ${signature}\r\nX-SHA2-Signature: ${signature}\r\n` +
        `content-length: ${Buffer.byteLength(other.body)}\r\nconnection: close\r\n\r\n${other.body}`;
      expect(await rawExchange(port, bytes)).toMatch(/^HTTP\/1\.1 401/);
      expect(handlers.calls).toHaveLength(0);
    });
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: object | string, field: string) => {
      const res = await send(genuine(body));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    type Loose = { payload: Record<string, unknown> & { object: Record<string, unknown> } };
    const fixture = (type: string) => onfidoFixture(type) as unknown as Loose;

    it('a missing object id', () => {
      const body = fixture('check.completed');
      delete body.payload.object.id;
      return expect400(body, 'payload.object.id');
    });
    it('a check event whose resource_type is not check', () => {
      const body = fixture('check.completed');
      body.payload.resource_type = 'report';
      return expect400(body, 'payload.resource_type');
    });
    it('an upper-case status', () => {
      const body = fixture('report.completed');
      body.payload.object.status = 'COMPLETE';
      return expect400(body, 'payload.object.status');
    });
    it('an unreadable completion time', () => {
      const body = fixture('check.completed');
      body.payload.object.completed_at_iso8601 = '2026-02-30T10:00:00Z';
      return expect400(body, 'payload.object.completed_at_iso8601');
    });
    it('a numeric customer_user_id', () => {
      const body = fixture('workflow_run.completed');
      (body.payload.resource as Record<string, unknown>).customer_user_id = 42;
      return expect400(body, 'payload.resource.customer_user_id');
    });
    it('a missing action', () => {
      const body = fixture('check.completed');
      delete body.payload.action;
      return expect400(body, 'payload.action');
    });
    it('a body that is not the envelope', () => expect400({ resource_type: 'check' }, 'payload'));
  });

  describe('tenants', () => {
    it("accept a tenant's delivery under its own token only, and apply its maximum age", async () => {
      const route = `${ROUTE}/acme`;
      expect((await send(genuine(onfidoFixture('check.completed'), TENANT_TOKEN), route)).status).toBe(200);
      expect(handlers.of('known')).toHaveLength(1);
      expect(handlers.of('known')[0]!.tenant).toBe('acme');
      // The provider's token is not the tenant's (a tenant route refuses with the 404 of an unknown tenant).
      expect((await send(genuine(onfidoFixture('check.completed'), TOKEN), route)).status).toBe(404);
      // 120 s old: inside the provider's 7 days, outside the tenant's 60 s.
      const old = genuine(onfidoFixture('check.completed', secondsAgo(120)), TENANT_TOKEN);
      expect((await send(old, route)).status).toBe(404);
      expect((await send(old)).status).toBe(401);
      const recent = genuine(onfidoFixture('check.completed', secondsAgo(30)), TENANT_TOKEN);
      expect((await send(recent, route)).status).toBe(200);
      expect(
        (await send(genuine(onfidoFixture('check.completed'), TENANT_TOKEN), `${ROUTE}/nobody`)).status,
      ).toBe(404);
      expect(handlers.of('known')).toHaveLength(2);
    });
  });

  it('accepts an event the face-webhooks CLI sends', async () => {
    const { code, stdout } = await cli(
      'send',
      'onfido.workflow_run.completed',
      '--url',
      `http://127.0.0.1:${port}/webhooks/onfido`,
      '--secret',
      TOKEN,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/onfido\.workflow_run\.completed -> POST .*: 200 OK/);
    expect(handlers.of('run:approved:user_4242').map((e) => e.type)).toEqual([
      'onfido.workflow_run.completed',
    ]);
  });

  it('is described in the OpenAPI document', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const operation = document.paths['/webhooks/{provider}']!.post!;
    const parameters = (operation.parameters ?? []) as { name: string; schema?: { enum?: string[] } }[];
    expect(parameters.find((p) => p.name === 'provider')?.schema?.enum).toContain('onfido');
    expect(parameters.map((p) => p.name)).toContain('X-SHA2-Signature');
  });
});

describe.each(ADAPTERS)('Onfido replay defence with short windows (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: OnfidoHandlers;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          onfido: {
            secret: TOKEN,
            maxEventAgeSeconds: 2,
            deduplicationTtlMs: 2_000,
            refuseUntimedEvents: true,
          },
        }),
      ],
      providers: [OnfidoHandlers],
    }));
    handlers = app.get(OnfidoHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  const send = (signed: Signed) =>
    request(app.getHttpServer()).post(ROUTE).set(signed.headers).send(signed.body);

  it('refuses a captured delivery replayed once its de-duplication record is gone', async () => {
    const captured = signOnfidoRequest({ secret: TOKEN, body: onfidoFixture('check.completed') });
    expect((await send(captured)).status).toBe(200);
    expect((await send(captured)).body).toEqual({ received: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    const replay = await send(captured);
    expect(replay.status).toBe(401);
    expect(handlers.of('check:complete')).toHaveLength(1);
  });

  it('refuses an event without a time when refuseUntimedEvents is on', async () => {
    const body = onfidoFixture('check.started');
    delete body.payload.object.started_at_iso8601;
    expect((await send(signOnfidoRequest({ secret: TOKEN, body }))).status).toBe(401);
    expect(handlers.calls).toHaveLength(0);
  });
});

describe('Onfido developer kit', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'onfido-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers a signed event through createFaceWebhooksTestingApp', async () => {
    const testing = await createFaceWebhooksTestingApp({ providers: [OnfidoHandlers] });
    try {
      expect(TEST_SECRETS.onfido).toBeTruthy();
      const answer = await testing.deliver('onfido.workflow_run.completed', {
        'payload.resource.customer_user_id': 'user_7',
      });
      expect(answer).toMatchObject({ status: 200, body: { received: true } });
      expect(testing.app.get(OnfidoHandlers).of('run:approved:user_7')).toHaveLength(1);
    } finally {
      await testing.close();
    }
  });

  it('verifies a captured request with the CLI, and says why a forged one fails', async () => {
    const signed = signOnfidoRequest({ secret: TOKEN, body: onfidoFixture('check.completed') });
    const file = join(dir, 'onfido.http');
    writeFileSync(
      file,
      `POST /webhooks/onfido HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n` +
        `X-SHA2-Signature: ${signed.headers['x-sha2-signature']}\r\n\r\n${signed.body}`,
    );
    const valid = await cli('verify', '--provider', 'onfido', '--secret', TOKEN, '--request', file);
    expect(valid.stdout).toContain('valid: the onfido module would accept this request');
    expect(valid.code).toBe(0);
    const wrong = await cli('verify', '--provider', 'onfido', '--secret', 'nope', '--request', file);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('refused: authentication: no webhook token matches X-SHA2-Signature');
  });
});

describe('Onfido options', () => {
  it('refuse to start without a token, or with a maximum age longer than the de-duplication record', async () => {
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ onfido: { secret: '' } })],
      }).compile(),
    ).rejects.toThrow('onfido.secret is required');
    await expect(
      Test.createTestingModule({
        imports: [
          FaceWebhooksModule.forRoot({
            onfido: { secret: TOKEN, maxEventAgeSeconds: 7200, deduplicationTtlMs: 3_600_000 },
          }),
        ],
      }).compile(),
    ).rejects.toThrow('onfido.maxEventAgeSeconds (7200) must not exceed onfido.deduplicationTtlMs');
  });
});
