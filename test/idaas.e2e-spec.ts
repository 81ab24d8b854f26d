import { Injectable, type INestApplication } from '@nestjs/common';
import {
  FaceWebhooksModule,
  IDAAS_EVENT_TYPES,
  IdaasFaceBiometricCreatedDataDto,
  IdaasWebhookEventDto,
  OnFaceEvent,
  type AnyFaceEvent,
  type FaceEventOf,
  type FaceWebhooksModuleOptions,
} from 'nestjs-face-webhooks';
import {
  idaasFixture,
  signIdaasLegacyRequest,
  signIdaasRequest,
  type IdaasSigningInput,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { ADAPTERS, createTestApp, listenOnLoopback, type AdapterName } from './support/create-app.js';
import { rawPost } from './support/raw-http.js';

const SECRET = 'idaas-e2e-secret';
const NEXT_SECRET = 'idaas-e2e-next-secret';

@Injectable()
class IdaasHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent('idaas.face.biometric.created')
  onFace(event: FaceEventOf<'idaas.face.biometric.created'>): void {
    // Typed: the documented data of the face event.
    this.calls.push({ handler: `face:${event.data.data.entityAttributes.userId}`, event });
  }

  @OnFaceEvent('idaas.**')
  onAny(event: FaceEventOf<'idaas.**'>): void {
    this.calls.push({ handler: 'any', event });
  }

  of(handler: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler === handler).map((call) => call.event);
  }
}

/** A listening app, so the signed @target-uri can be the real URL the test posts to. */
async function listeningApp(adapter: AdapterName, options: FaceWebhooksModuleOptions) {
  const { app, logger } = await createTestApp({
    adapter,
    imports: [FaceWebhooksModule.forRoot(options)],
    providers: [IdaasHandlers],
  });
  const url = `${await listenOnLoopback(app)}/webhooks/idaas`;
  return { app, logger, url, handlers: app.get(IdaasHandlers) };
}

describe.each(ADAPTERS)('IDaaS deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let url: string;
  let handlers: IdaasHandlers;

  beforeAll(
    async () =>
      ({ app, logger, url, handlers } = await listeningApp(adapter, {
        idaas: { secret: [SECRET, NEXT_SECRET] },
      })),
  );
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  const sign = (overrides: Partial<IdaasSigningInput> = {}) =>
    signIdaasRequest({ secret: SECRET, url, body: idaasFixture('face.biometric.created'), ...overrides });
  const post = (
    signed: { headers: Record<string, string>; body: string },
    body = signed.body,
    path = '/webhooks/idaas',
  ) => request(app.getHttpServer()).post(path).set(signed.headers).send(body);

  it('hands a valid face.biometric.created to its handler with typed data', async () => {
    const fixture = idaasFixture('face.biometric.created');
    const res = await post(sign({ body: fixture }));
    expect(res.status).toBe(200);
    const [event] = handlers.of('face:john');
    expect(event).toMatchObject({ provider: 'idaas', type: 'idaas.face.biometric.created', id: fixture.id });
    expect(event!.data).toBeInstanceOf(IdaasWebhookEventDto);
    expect((event!.data as { data: unknown }).data).toBeInstanceOf(IdaasFaceBiometricCreatedDataDto);
    expect(event!.occurredAt.toISOString()).toBe(new Date(fixture.eventTime).toISOString());
  });

  it.each(IDAAS_EVENT_TYPES.filter((type) => type !== 'face.biometric.created').map((type) => [type]))(
    'accepts %s with the envelope validated',
    async (type) => {
      const res = await post(sign({ body: idaasFixture(type) }));
      expect(res.status).toBe(200);
      expect(handlers.of('any').map((e) => e.type)).toEqual([`idaas.${type}`]);
    },
  );

  it('handles a repeated delivery id once', async () => {
    const body = idaasFixture('user.deleted');
    expect((await post(sign({ body }))).status).toBe(200);
    const again = await post(sign({ body }));
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('any')).toHaveLength(1);
  });

  it('accepts the second secret during rotation', async () => {
    expect((await post(sign({ secret: NEXT_SECRET }))).status).toBe(200);
  });

  describe('refuses with 401 and no handler call', () => {
    const refuse = async (res: request.Response, logged?: string) => {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
      if (logged) expect(logger.find('warn', 'Rejected idaas delivery').at(-1)).toContain(logged);
    };

    it('a body changed after signing', async () => {
      const signed = sign();
      await refuse(await post(signed, signed.body.replace('john', 'mallory')), 'Content-Digest');
    });
    it('a body changed along with its digest', async () => {
      const signed = sign();
      const body = signed.body.replace('john', 'mallory');
      const forged = {
        ...signed,
        headers: { ...signed.headers, 'content-digest': sign({ body }).headers['content-digest']! },
      };
      await refuse(await post(forged, body), 'signature does not match');
    });
    it('a wrong digest header', async () => {
      const signed = sign();
      await refuse(
        await post({ ...signed, headers: { ...signed.headers, 'content-digest': 'sha-256=:AAAA:' } }),
      );
    });
    it('a digest of an unsupported algorithm only', async () => {
      const signed = sign();
      await refuse(
        await post({ ...signed, headers: { ...signed.headers, 'content-digest': 'sha-1=:AAAA:' } }),
        'no sha-256',
      );
    });
    it('a signature over another URL, with the rebuilt URI in the log', async () => {
      await refuse(
        await post(sign({ url: 'https://elsewhere.example.com/webhooks/idaas' })),
        `rebuilt @target-uri ${url}`,
      );
    });
    it('a signature over another method', async () => {
      await refuse(await post(sign({ method: 'PUT' })), 'signature does not match');
    });
    it('a missing component', async () => {
      await refuse(
        await post(sign({ components: ['@method', 'content-digest'] })),
        'does not cover @target-uri',
      );
    });
    it('a wrong label', async () => {
      await refuse(await post(sign({ label: 'webhook' })), 'labelled "sig"');
    });
    it('the label sig1 of RFC 9421’s examples, with the label named in the log only', async () => {
      const res = await post(sign({ label: 'sig1' }));
      await refuse(res, 'no signature labelled "sig" (Signature-Input has "sig1", Signature has "sig1")');
      expect(JSON.stringify(res.body) + JSON.stringify(res.headers)).not.toContain('sig1');
    });
    it('another alg', async () => {
      await refuse(await post(sign({ alg: 'hmac-sha512' })), 'alg hmac-sha512');
    });
    it('an expired created', async () => {
      await refuse(await post(sign({ created: Math.floor(Date.now() / 1000) - 600 })), 'too old');
    });
    it('a created in the future', async () => {
      await refuse(await post(sign({ created: Math.floor(Date.now() / 1000) + 600 })), 'in the future');
    });
    it('a wrong secret', async () => {
      await refuse(await post(sign({ secret: 'guessed' })));
    });
    it('no signature at all', async () => {
      const signed = sign();
      await refuse(await post({ ...signed, headers: { 'content-type': 'application/json' } }));
    });
    it('a legacy signature while legacy is off', async () => {
      await refuse(
        await post(signIdaasLegacyRequest({ secret: SECRET, body: idaasFixture('user.created') })),
        'acceptLegacySignature is off',
      );
    });
    it('duplicated signature headers', async () => {
      const signed = sign();
      const res = await request(app.getHttpServer())
        .post('/webhooks/idaas')
        .set({ ...signed.headers })
        .set('signature', [signed.headers.signature!, 'sig=:AAAA:'] as unknown as string)
        .send(signed.body);
      await refuse(res);
    });
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: object, field: string) => {
      const res = await post(sign({ body }));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    it('face data without entityAttributes.userId', () => {
      const fixture = idaasFixture('face.biometric.created');
      return expect400(
        { ...fixture, data: { ...fixture.data, entityAttributes: { status: 'ACTIVE' } } },
        'data.entityAttributes.userId',
      );
    });
    it('face entityAttributes given as an array', () => {
      const fixture = idaasFixture('face.biometric.created');
      return expect400(
        { ...fixture, data: { ...fixture.data, entityAttributes: [] } },
        'data.entityAttributes must be an object',
      );
    });
    it('an eventTime that is not ISO 8601', () =>
      expect400({ ...idaasFixture('user.created'), eventTime: 'yesterday' }, 'eventTime'));
    it('data that is not an object', () => expect400({ ...idaasFixture('user.created'), data: 'x' }, 'data'));
    it('a missing accountId', () =>
      expect400({ ...idaasFixture('user.created'), accountId: undefined }, 'accountId'));
  });
});

describe.each(ADAPTERS)('IDaaS options (%s)', (adapter) => {
  it('accepts legacy x-sha2-signature when enabled', async () => {
    const { app, handlers } = await listeningApp(adapter, {
      idaas: { secret: SECRET, acceptLegacySignature: true },
    });
    try {
      const signed = signIdaasLegacyRequest({ secret: SECRET, body: idaasFixture('user.created') });
      expect(
        (await request(app.getHttpServer()).post('/webhooks/idaas').set(signed.headers).send(signed.body))
          .status,
      ).toBe(200);
      const wrong = signIdaasLegacyRequest({ secret: 'other', body: idaasFixture('user.created') });
      expect(
        (await request(app.getHttpServer()).post('/webhooks/idaas').set(wrong.headers).send(wrong.body))
          .status,
      ).toBe(401);
      expect(handlers.of('any')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('rebuilds the public URL behind a proxy from publicBaseUrl', async () => {
    const { app, handlers } = await listeningApp(adapter, {
      idaas: { secret: SECRET, publicBaseUrl: 'https://hooks.example.com/backend' },
    });
    try {
      const signed = signIdaasRequest({
        secret: SECRET,
        url: 'https://hooks.example.com/backend/webhooks/idaas',
        body: idaasFixture('face.biometric.created'),
      });
      // The proxy strips /backend and forwards to the app over plain HTTP.
      expect(
        (await request(app.getHttpServer()).post('/webhooks/idaas').set(signed.headers).send(signed.body))
          .status,
      ).toBe(200);
      expect(handlers.of('face:john')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('rebuilds the public URL from trusted X-Forwarded headers', async () => {
    const { app } = await listeningApp(adapter, { idaas: { secret: SECRET, trustForwardedHeaders: true } });
    try {
      const signed = signIdaasRequest({
        secret: SECRET,
        url: 'https://hooks.example.com/webhooks/idaas',
        body: idaasFixture('user.created'),
      });
      const res = await request(app.getHttpServer())
        .post('/webhooks/idaas')
        .set({ ...signed.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' })
        .send(signed.body);
      expect(res.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  describe('the signed @target-uri as the sender wrote it (raw requests: clients re-encode URLs)', () => {
    it("verifies a signature over a mixed-case Host and a query with ' unencoded", async () => {
      const { app, url, handlers } = await listeningApp(adapter, { idaas: { secret: SECRET } });
      try {
        const port = Number(new URL(url).port);
        const path = "/webhooks/idaas?tenant='acme'&note=a%20b";
        const body = idaasFixture('user.created');
        const signed = signIdaasRequest({ secret: SECRET, url: `http://LocalHost:${port}${path}`, body });
        const answer = await rawPost(
          port,
          path,
          { ...signed.headers, host: `LocalHost:${port}` },
          signed.body,
        );
        expect(answer).toMatch(/^HTTP\/1\.1 200 /);
        expect(handlers.of('any').map((event) => event.id)).toEqual([body.id]);
      } finally {
        await app.close();
      }
    });

    it('verifies a delivery sent with an absolute-form request line', async () => {
      const { app, url, handlers } = await listeningApp(adapter, { idaas: { secret: SECRET } });
      try {
        const port = Number(new URL(url).port);
        const target = `http://hooks.example.com:${port}/webhooks/idaas`;
        const body = idaasFixture('user.created');
        const signed = signIdaasRequest({ secret: SECRET, url: target, body });
        const answer = await rawPost(
          port,
          target,
          { ...signed.headers, host: 'ignored.example' },
          signed.body,
        );
        expect(answer).toMatch(/^HTTP\/1\.1 200 /);
        expect(handlers.of('any').map((event) => event.id)).toEqual([body.id]);
      } finally {
        await app.close();
      }
    });
  });

  it.each([
    [{ secret: '' }, 'idaas.secret is required'],
    [{ secret: 's', publicBaseUrl: 'hooks.example.com' }, 'idaas.publicBaseUrl'],
    [
      { secret: 's', publicBaseUrl: 'https://a.example.com', trustForwardedHeaders: true },
      'exclude each other',
    ],
  ])('refuses to start with %j', async (idaas, message) => {
    await expect(
      createTestApp({ adapter, imports: [FaceWebhooksModule.forRoot({ idaas })] }),
    ).rejects.toThrow(message);
  });
});
