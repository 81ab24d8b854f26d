import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Controller, Injectable, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  FaceWebhookEvent,
  FaceWebhookPipeline,
  FaceWebhookRoute,
  FaceWebhooksModule,
  OnFaceEvent,
  SUMSUB_EVENT_TYPES,
  SumsubApplicantEventDto,
  SumsubApplicantReviewedEventDto,
  SumsubWebhookEventDto,
  type AnyFaceEvent,
  type FaceEventOf,
  type WebhookAck,
} from 'nestjs-face-webhooks';
import { createFaceWebhooksTestingApp, signSumsubRequest, sumsubFixture } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { cli } from './support/cli.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { rawExchange } from './support/raw-http.js';

const SECRET = 'sumsub_e2e_current';
const SECOND_SECRET = 'sumsub_e2e_next';
const TENANT_SECRET = 'sumsub_e2e_tenant_acme';
const LEGACY_SECRET = 'sumsub_e2e_tenant_legacy';
const ROUTE = '/webhooks/sumsub';
const HOUR = 3600 * 1000;

/**
 * Sumsub publishes no server SDK that verifies webhooks. This signer follows its webhook
 * documentation alone ("verify webhook sender": `X-Payload-Digest` is the hex HMAC of the raw body
 * keyed with the webhook's secret key, the algorithm named by `X-Payload-Digest-Alg`, one of
 * HMAC_SHA1_HEX, HMAC_SHA256_HEX, HMAC_SHA512_HEX), independently of the library's signer and verifier.
 */
const DOCS_HASH = { HMAC_SHA1_HEX: 'sha1', HMAC_SHA256_HEX: 'sha256', HMAC_SHA512_HEX: 'sha512' } as const;
type DocsAlgorithm = keyof typeof DOCS_HASH;
function sumsubDocsDigest(
  secret: string,
  body: string,
  algorithm: DocsAlgorithm = 'HMAC_SHA256_HEX',
): string {
  return crypto.createHmac(DOCS_HASH[algorithm], secret).update(Buffer.from(body, 'utf8')).digest('hex');
}

@Injectable()
class SumsubHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];

  @OnFaceEvent('sumsub.applicantReviewed')
  onReviewed(event: FaceEventOf<'sumsub.applicantReviewed'>): void {
    // Typed: the answer and your own user id.
    const { reviewAnswer, reviewRejectType } = event.data.reviewResult;
    this.calls.push({
      handler: `reviewed:${reviewAnswer}:${reviewRejectType ?? '-'}:${event.data.externalUserId ?? '-'}`,
      event,
    });
  }

  @OnFaceEvent('sumsub.applicantReset')
  onReset(event: FaceEventOf<'sumsub.applicantReset'>): void {
    this.calls.push({ handler: `reset:${event.data.applicantId}`, event });
  }

  @OnFaceEvent([...SUMSUB_EVENT_TYPES.map((type) => `sumsub.${type}` as const)])
  onKnown(event: FaceEventOf<'sumsub.*'>): void {
    this.calls.push({ handler: 'known', event });
  }

  @OnFaceEvent('sumsub.**')
  onAny(event: FaceEventOf<'sumsub.**'>): void {
    this.calls.push({ handler: 'any', event });
  }

  of(handler: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler === handler).map((call) => call.event);
  }
}

/** Runs `action` with `Date.now()` moved `offsetMs` ahead, as if that much time had passed. */
async function later<T>(offsetMs: number, action: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => realNow() + offsetMs;
  try {
    return await action();
  } finally {
    Date.now = realNow;
  }
}

describe.each(ADAPTERS)('Sumsub deliveries over HTTP (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: SumsubHandlers;
  let port: number;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          sumsub: {
            secret: [SECRET, SECOND_SECRET],
            tenants: {
              resolve: (tenant) =>
                tenant === 'acme'
                  ? { secret: TENANT_SECRET, maxEventAgeSeconds: 600 }
                  : tenant === 'legacy'
                    ? { secret: LEGACY_SECRET, allowSha1: true }
                    : tenant === 'forgetful'
                      ? { secret: TENANT_SECRET, maxEventAgeSeconds: 5 * 24 * 3600 }
                      : undefined,
            },
          },
        }),
      ],
      providers: [SumsubHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    handlers = app.get(SumsubHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => (handlers.calls.length = 0));

  /** A delivery signed as the docs describe, by the independent signer above. */
  const genuine = (
    body: object,
    { secret = SECRET, algorithm = 'HMAC_SHA256_HEX' as DocsAlgorithm | null } = {},
  ): { headers: Record<string, string>; body: string } => {
    const text = JSON.stringify(body);
    return {
      headers: {
        'content-type': 'application/json',
        'x-payload-digest': sumsubDocsDigest(secret, text, algorithm ?? 'HMAC_SHA256_HEX'),
        ...(algorithm === null ? {} : { 'x-payload-digest-alg': algorithm }),
      },
      body: text,
    };
  };
  const send = (signed: { headers: Record<string, string>; body: string }, route = ROUTE) =>
    request(app.getHttpServer()).post(route).set(signed.headers).send(signed.body);
  /** Raw bytes, for headers an HTTP client would merge or refuse to repeat. */
  const raw = (headerLines: string[], body: string) =>
    rawExchange(
      port,
      `POST ${ROUTE} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        headerLines.map((line) => `${line}\r\n`).join('') +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );

  it('accepts a genuine applicantReviewed (SHA-256) once, typed, and answers its retry as a duplicate', async () => {
    const fixture = sumsubFixture('applicantReviewed');
    const first = await send(genuine(fixture));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true });
    expect(handlers.of('reviewed:GREEN:-:user_4242')).toHaveLength(1);
    const [event] = handlers.of('reviewed:GREEN:-:user_4242');
    expect(event).toMatchObject({
      provider: 'sumsub',
      type: 'sumsub.applicantReviewed',
      id: `applicantReviewed|${fixture.applicantId}|${fixture.correlationId}|${fixture.createdAtMs}`,
    });
    expect(event!.data).toBeInstanceOf(SumsubApplicantReviewedEventDto);
    expect(event!.occurredAt.toISOString()).toBe(`${fixture.createdAtMs.replace(' ', 'T')}Z`);

    // Sumsub's retry (5 minutes later): the same body, the same digest.
    const retry = await later(5 * 60 * 1000, () => send(genuine(fixture)));
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('reviewed:GREEN:-:user_4242')).toHaveLength(1);
  });

  it('accepts a genuine RED review signed with HMAC_SHA512_HEX, once', async () => {
    const fixture = sumsubFixture('applicantReviewed');
    fixture.reviewResult = {
      reviewAnswer: 'RED',
      reviewRejectType: 'RETRY',
      rejectLabels: ['SELFIE_MISMATCH'],
      moderationComment: 'Please retake the selfie.',
    };
    const signed = genuine(fixture, { algorithm: 'HMAC_SHA512_HEX' });
    expect(signed.headers['x-payload-digest']).toMatch(/^[0-9a-f]{128}$/);
    expect((await send(signed)).status).toBe(200);
    expect((await send(signed)).body).toEqual({ received: true, duplicate: true });
    expect(handlers.of('reviewed:RED:RETRY:user_4242')).toHaveLength(1);
  });

  it('reads a delivery without X-Payload-Digest-Alg as HMAC_SHA256_HEX, and only that', async () => {
    expect((await send(genuine(sumsubFixture('applicantPending'), { algorithm: null }))).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(1);
    const sha512 = genuine(sumsubFixture('applicantPending'), { algorithm: 'HMAC_SHA512_HEX' });
    delete (sha512.headers as Partial<Record<string, string>>)['x-payload-digest-alg'];
    expect((await send(sha512)).status).toBe(401);
    expect(handlers.of('known')).toHaveLength(1);
  });

  it.each(SUMSUB_EVENT_TYPES.map((type) => [type]))('accepts %s for its typed handlers', async (type) => {
    const fixture = sumsubFixture(type);
    expect((await send(genuine(fixture))).status).toBe(200);
    expect(handlers.of('known').map((e) => e.type)).toEqual([`sumsub.${type}`]);
    expect(handlers.of('known')[0]!.data).toBeInstanceOf(
      type === 'applicantReviewed' ? SumsubApplicantReviewedEventDto : SumsubApplicantEventDto,
    );
    expect(handlers.of('any')).toHaveLength(1);
    if (type === 'applicantReset') expect(handlers.of(`reset:${fixture.applicantId}`)).toHaveLength(1);
  });

  it('accepts a type it does not type, for wildcard handlers only, and logs it', async () => {
    const fixture = sumsubFixture('videoIdentStatusChanged');
    expect((await send(genuine(fixture))).status).toBe(200);
    expect(handlers.of('known')).toHaveLength(0);
    expect(handlers.of('any').map((e) => e.type)).toEqual(['sumsub.videoIdentStatusChanged']);
    expect(handlers.of('any')[0]!.data).toBeInstanceOf(SumsubWebhookEventDto);
    expect(logger.find('warn', 'sumsub.videoIdentStatusChanged')).toHaveLength(1);
  });

  it('accepts the second configured secret key (rotation)', async () => {
    expect((await send(genuine(sumsubFixture('applicantCreated'), { secret: SECOND_SECRET }))).status).toBe(
      200,
    );
    expect(
      (
        await send(
          genuine(sumsubFixture('applicantCreated'), { secret: SECOND_SECRET, algorithm: 'HMAC_SHA512_HEX' }),
        )
      ).status,
    ).toBe(200);
    expect(handlers.of('known')).toHaveLength(2);
  });

  it("signs with the library's signer what the docs' verification accepts", async () => {
    for (const algorithm of ['HMAC_SHA256_HEX', 'HMAC_SHA512_HEX'] as const) {
      const signed = signSumsubRequest({ secret: SECRET, body: sumsubFixture('applicantOnHold'), algorithm });
      expect(signed.headers['x-payload-digest']).toBe(sumsubDocsDigest(SECRET, signed.body, algorithm));
      expect(signed.headers['x-payload-digest-alg']).toBe(algorithm);
      expect((await send(signed)).status).toBe(200);
    }
    expect(handlers.of('known')).toHaveLength(2);
  });

  describe('refuses with a bare 401 and no handler call', () => {
    const refuse = async (headers: Record<string, string>, body: string) => {
      const res = await request(app.getHttpServer()).post(ROUTE).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(handlers.calls).toHaveLength(0);
    };
    const reviewed = () => genuine(sumsubFixture('applicantReviewed'));

    it('a forged digest (wrong secret key)', () => {
      const s = genuine(sumsubFixture('applicantReviewed'), { secret: 'attacker-key' });
      return refuse(s.headers, s.body);
    });
    it('a tampered body', () => {
      const fixture = sumsubFixture('applicantReviewed');
      fixture.reviewResult = { reviewAnswer: 'RED', reviewRejectType: 'FINAL' };
      const s = genuine(fixture);
      return refuse(s.headers, s.body.replace('"RED"', '"GREEN"'));
    });
    it('a body changed by one byte of whitespace', () => {
      const s = reviewed();
      return refuse(s.headers, `${s.body} `);
    });
    it('a missing digest header', () => {
      const s = reviewed();
      return refuse(
        { 'content-type': 'application/json', 'x-payload-digest-alg': 'HMAC_SHA256_HEX' },
        s.body,
      );
    });
    it.each(['HMAC_MD5_HEX', 'HMAC_SHA384_HEX', 'hmac_sha256_hex', 'SHA256', '', 'constructor'])(
      'an unknown algorithm %j',
      (algorithm) => {
        const s = reviewed();
        return refuse({ ...s.headers, 'x-payload-digest-alg': algorithm }, s.body);
      },
    );
    it('HMAC_SHA1_HEX, which this route does not allow', () => {
      const s = genuine(sumsubFixture('applicantReviewed'), { algorithm: 'HMAC_SHA1_HEX' });
      expect(s.headers['x-payload-digest']).toMatch(/^[0-9a-f]{40}$/);
      return refuse(s.headers, s.body);
    });
    it('a SHA-256 digest under a SHA-512 algorithm header (wrong length for the algorithm)', () => {
      const s = reviewed();
      return refuse({ ...s.headers, 'x-payload-digest-alg': 'HMAC_SHA512_HEX' }, s.body);
    });
    it.each([
      ['non-hex digits', (d: string) => `${d.slice(0, 62)}zz`],
      ['a short digest', (d: string) => d.slice(0, 63)],
      ['a long digest', (d: string) => `${d}0`],
      ['a prefixed digest', (d: string) => `sha256=${d}`],
      ['base64 of the digest', (d: string) => Buffer.from(d, 'hex').toString('base64')],
    ])('a malformed digest: %s', (_name, change) => {
      const s = reviewed();
      return refuse({ ...s.headers, 'x-payload-digest': change(s.headers['x-payload-digest']!) }, s.body);
    });
    it('the tenant secret key on the route without a tenant', () => {
      const s = genuine(sumsubFixture('applicantReviewed'), { secret: TENANT_SECRET });
      return refuse(s.headers, s.body);
    });

    it('a repeated digest or algorithm header, sent as raw bytes', async () => {
      const fixture = sumsubFixture('applicantReviewed');
      const s = genuine(fixture);
      const digest = `x-payload-digest: ${s.headers['x-payload-digest']}`;
      const alg = 'x-payload-digest-alg: HMAC_SHA256_HEX';
      expect(await raw([digest, digest, alg], s.body)).toMatch(/^HTTP\/1\.1 401/);
      expect(await raw([digest, alg, alg], s.body)).toMatch(/^HTTP\/1\.1 401/);
      expect(await raw([digest, alg, 'x-payload-digest-alg: HMAC_SHA512_HEX'], s.body)).toMatch(
        /^HTTP\/1\.1 401/,
      );
      expect(handlers.calls).toHaveLength(0);
      // The same bytes with each header once are accepted.
      expect(await raw([digest, alg], s.body)).toMatch(/^HTTP\/1\.1 200/);
      expect(handlers.of('known')).toHaveLength(1);
    });
  });

  describe('replays (Sumsub signs no time: createdAtMs bounds them)', () => {
    it('refuses a delivery older than maxEventAgeSeconds (48 h by default)', async () => {
      const old = sumsubFixture('applicantReviewed', new Date(Date.now() - 48 * HOUR - 60_000));
      const res = await send(genuine(old));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      // Sumsub's last retry, about 24 h after the first attempt, is still accepted.
      const lastRetry = sumsubFixture('applicantReviewed', new Date(Date.now() - 24 * HOUR - 10 * 60_000));
      expect((await send(genuine(lastRetry))).status).toBe(200);
      expect(handlers.calls.map((call) => call.handler)).toEqual([
        'reviewed:GREEN:-:user_4242',
        'known',
        'any',
      ]);
    });

    it('refuses a delivery dated more than 5 minutes ahead of now', async () => {
      const future = sumsubFixture('applicantReviewed', new Date(Date.now() + 10 * 60_000));
      expect((await send(genuine(future))).status).toBe(401);
      expect(handlers.calls).toHaveLength(0);
    });

    it('answers a captured delivery as a duplicate inside the window, and refuses it after', async () => {
      const captured = genuine(sumsubFixture('applicantReviewed'));
      expect((await send(captured)).status).toBe(200);
      const inside = await later(47 * HOUR, () => send(captured));
      expect(inside.body).toEqual({ received: true, duplicate: true });
      // Past the de-duplication window (4 days): whether or not the record is gone, refused.
      const after = await later(4 * 24 * HOUR + 60_000, () => send(captured));
      expect(after.status).toBe(401);
      expect(handlers.of('known')).toHaveLength(1);
    });

    it("applies a tenant's shorter maxEventAgeSeconds", async () => {
      const route = `${ROUTE}/acme`;
      const captured = genuine(sumsubFixture('applicantReviewed'), { secret: TENANT_SECRET });
      expect((await send(captured, route)).status).toBe(200);
      expect((await later(9 * 60_000, () => send(captured, route))).body).toEqual({
        received: true,
        duplicate: true,
      });
      // 11 minutes later: outside the tenant's 600 s (a tenant route answers 404 to what it refuses).
      expect((await later(11 * 60_000, () => send(captured, route))).status).toBe(404);
      expect(handlers.of('known')).toHaveLength(1);
    });
  });

  describe('refuses invalid bodies with 400 naming the field', () => {
    const expect400 = async (body: object, field: string) => {
      const res = await send(genuine(body));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(handlers.calls).toHaveLength(0);
    };
    type Json = Record<string, unknown>;
    it('an applicantReviewed without applicantId', () => {
      const body = sumsubFixture('applicantReviewed') as Json;
      delete body.applicantId;
      return expect400(body, 'applicantId');
    });
    it('an applicantReviewed without reviewResult', () => {
      const body = sumsubFixture('applicantReviewed') as Json;
      delete body.reviewResult;
      return expect400(body, 'reviewResult');
    });
    it('a reviewAnswer other than GREEN or RED', () => {
      const body = sumsubFixture('applicantReviewed');
      body.reviewResult!.reviewAnswer = 'green';
      return expect400(body, 'reviewResult.reviewAnswer');
    });
    it('a createdAtMs in epoch milliseconds', () =>
      expect400({ ...sumsubFixture('applicantPending'), createdAtMs: Date.now() }, 'createdAtMs'));
    it('a createdAtMs with a zone offset', () =>
      expect400(
        { ...sumsubFixture('applicantPending'), createdAtMs: '2026-03-16T19:35:16+02:00' },
        'createdAtMs',
      ));
    it('a body without createdAtMs, even of an untyped type', () => {
      const body = sumsubFixture('videoIdentStatusChanged') as Json;
      delete body.createdAtMs;
      return expect400(body, 'createdAtMs');
    });
    it('a body without type', () => {
      const body = sumsubFixture('applicantPending') as Json;
      delete body.type;
      return expect400(body, 'type');
    });
  });

  describe('tenants', () => {
    it("accept a tenant's delivery under its own secret key only", async () => {
      const route = `${ROUTE}/acme`;
      expect(
        (await send(genuine(sumsubFixture('applicantReviewed'), { secret: TENANT_SECRET }), route)).status,
      ).toBe(200);
      expect(handlers.of('known')).toHaveLength(1);
      // The provider's secret is not the tenant's (a tenant route refuses with the 404 of an unknown tenant).
      expect((await send(genuine(sumsubFixture('applicantReviewed')), route)).status).toBe(404);
      expect(
        (
          await send(
            genuine(sumsubFixture('applicantReviewed'), { secret: TENANT_SECRET }),
            `${ROUTE}/nobody`,
          )
        ).status,
      ).toBe(404);
      expect(handlers.of('known')).toHaveLength(1);
    });

    it('refuse settings whose maxEventAgeSeconds outlives the de-duplication window (503)', async () => {
      const signed = genuine(sumsubFixture('applicantReviewed'), { secret: TENANT_SECRET });
      expect((await send(signed, `${ROUTE}/forgetful`)).status).toBe(503);
      expect(logger.find('error', 'sumsub.maxEventAgeSeconds (432000)')).not.toHaveLength(0);
      expect(handlers.calls).toHaveLength(0);
    });

    it('accept HMAC_SHA1_HEX on a tenant that opts in (allowSha1), still checking it', async () => {
      const route = `${ROUTE}/legacy`;
      const sha1 = genuine(sumsubFixture('applicantReviewed'), {
        secret: LEGACY_SECRET,
        algorithm: 'HMAC_SHA1_HEX',
      });
      expect((await send(sha1, route)).status).toBe(200);
      expect(handlers.of('known')).toHaveLength(1);
      const forged = genuine(sumsubFixture('applicantReviewed'), {
        secret: 'attacker',
        algorithm: 'HMAC_SHA1_HEX',
      });
      expect((await send(forged, route)).status).toBe(404);
      // SHA-256 still works there; SHA-1 still fails on the acme tenant, which did not opt in.
      expect(
        (await send(genuine(sumsubFixture('applicantPending'), { secret: LEGACY_SECRET }), route)).status,
      ).toBe(200);
      const acme = genuine(sumsubFixture('applicantReviewed'), {
        secret: TENANT_SECRET,
        algorithm: 'HMAC_SHA1_HEX',
      });
      expect((await send(acme, `${ROUTE}/acme`)).status).toBe(404);
      expect(handlers.of('known')).toHaveLength(2);
    });
  });

  it('accepts an event the face-webhooks CLI sends', async () => {
    const base = `http://127.0.0.1:${port}/webhooks`;
    const { code, stdout } = await cli(
      'send',
      'sumsub.applicantReviewed',
      '--url',
      `${base}/sumsub`,
      '--secret',
      SECRET,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/sumsub\.applicantReviewed -> POST .*: 200 OK/);
    expect(handlers.of('reviewed:GREEN:-:user_4242').map((e) => e.type)).toEqual([
      'sumsub.applicantReviewed',
    ]);
  });
});

describe('Sumsub with SHA-1 allowed on the provider', () => {
  it.each(ADAPTERS)('accepts HMAC_SHA1_HEX and keeps refusing unknown algorithms (%s)', async (adapter) => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ sumsub: { secret: SECRET, allowSha1: true } })],
    });
    try {
      const body = JSON.stringify(sumsubFixture('applicantReviewed'));
      const post = (algorithm: string, digest: string) =>
        request(app.getHttpServer())
          .post(ROUTE)
          .set({
            'content-type': 'application/json',
            'x-payload-digest': digest,
            'x-payload-digest-alg': algorithm,
          })
          .send(body);
      expect((await post('HMAC_SHA1_HEX', sumsubDocsDigest('wrong', body, 'HMAC_SHA1_HEX'))).status).toBe(
        401,
      );
      expect(
        (await post('HMAC_MD5_HEX', crypto.createHmac('md5', SECRET).update(body).digest('hex'))).status,
      ).toBe(401);
      expect((await post('HMAC_SHA1_HEX', sumsubDocsDigest(SECRET, body, 'HMAC_SHA1_HEX'))).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('Sumsub options', () => {
  it('refuse to start without a secret, or with a maximum age the de-duplication window does not cover', async () => {
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ sumsub: { secret: '' } })],
      }).compile(),
    ).rejects.toThrow('sumsub.secret is required');
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ sumsub: { secret: SECRET, deduplicationTtlMs: 24 * HOUR } })],
      }).compile(),
    ).rejects.toThrow(
      'sumsub.maxEventAgeSeconds (172800) must be at least 300 s shorter than sumsub.deduplicationTtlMs',
    );
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ sumsub: { secret: SECRET, maxEventAgeSeconds: -1 } })],
      }).compile(),
    ).rejects.toThrow('sumsub.maxEventAgeSeconds must be a positive whole number of seconds');
  });
});

/** A route of the app's own, at a URL it chose, that still gets the whole pipeline. */
@Controller()
class KycHooksController {
  readonly seen: string[] = [];

  constructor(private readonly pipeline: FaceWebhookPipeline) {}

  @Post('kyc/sumsub-hook')
  @FaceWebhookRoute('sumsub')
  hook(@FaceWebhookEvent() event: FaceEventOf<'sumsub.**'>): Promise<WebhookAck> {
    this.seen.push(`${event.type} ${event.data.applicantId ?? '-'}`);
    return this.pipeline.process(event);
  }
}

describe.each(ADAPTERS)('Sumsub on an app route, in OpenAPI and in the testing app (%s)', (adapter) => {
  it('authenticates, validates, ages and de-duplicates on @FaceWebhookRoute("sumsub")', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ sumsub: { secret: SECRET } })],
      controllers: [KycHooksController],
      providers: [SumsubHandlers],
    });
    try {
      const post = (signed: { headers: Record<string, string>; body: string }) =>
        request(app.getHttpServer()).post('/kyc/sumsub-hook').set(signed.headers).send(signed.body);
      const handlers = app.get(SumsubHandlers);
      const fixture = sumsubFixture('applicantReviewed');
      const signed = signSumsubRequest({ secret: SECRET, body: fixture });
      expect((await post(signed)).status).toBe(200);
      expect((await post(signed)).body).toEqual({ received: true, duplicate: true });
      expect(app.get(KycHooksController).seen).toEqual([
        `sumsub.applicantReviewed ${fixture.applicantId}`,
        `sumsub.applicantReviewed ${fixture.applicantId}`,
      ]);
      expect(handlers.of('known')).toHaveLength(1);
      const old = sumsubFixture('applicantReviewed', new Date(Date.now() - 49 * HOUR));
      expect((await post(signSumsubRequest({ secret: SECRET, body: old }))).status).toBe(401);
      expect(
        (await post(signSumsubRequest({ secret: 'wrong', body: sumsubFixture('applicantPending') }))).status,
      ).toBe(401);
      const noApplicant = sumsubFixture('applicantPending') as Record<string, unknown>;
      delete noApplicant.applicantId;
      const bad = await post(signSumsubRequest({ secret: SECRET, body: noApplicant }));
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.message)).toContain('applicantId');
      expect(handlers.of('known')).toHaveLength(1);
      expect(app.get(KycHooksController).seen).toHaveLength(2);
    } finally {
      await app.close();
    }
  });

  it('describes the Sumsub route in the OpenAPI document', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ sumsub: { secret: SECRET } })],
    });
    try {
      const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      const operation = document.paths['/webhooks/{provider}']?.post;
      const parameters = (operation!.parameters ?? []) as {
        name: string;
        in: string;
        schema?: { enum?: string[] };
      }[];
      expect(parameters.find((p) => p.name === 'provider')?.schema?.enum).toEqual(['sumsub']);
      expect(parameters.filter((p) => p.in === 'header').map((p) => p.name)).toEqual(
        expect.arrayContaining(['X-Payload-Digest', 'X-Payload-Digest-Alg']),
      );
      const body = operation!.requestBody as {
        content: Record<string, { schema: { oneOf: { title: string }[] } }>;
      };
      expect(body.content['application/json']!.schema.oneOf.map((schema) => schema.title)).toEqual([
        'Sumsub webhook',
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('Sumsub in createFaceWebhooksTestingApp', () => {
  it('builds, signs and delivers a Sumsub event, with overrides', async () => {
    const testing = await createFaceWebhooksTestingApp({ providers: [SumsubHandlers] });
    try {
      const answer = await testing.deliver('sumsub.applicantReviewed', {
        externalUserId: 'ada',
        'reviewResult.reviewAnswer': 'RED',
        'reviewResult.reviewRejectType': 'FINAL',
      });
      expect(answer).toMatchObject({ status: 200, body: { received: true } });
      expect(testing.app.get(SumsubHandlers).of('reviewed:RED:FINAL:ada')).toHaveLength(1);
      expect(
        (await testing.deliver('sumsub.applicantReviewed', { 'reviewResult.reviewAnswer': 'YELLOW' })).status,
      ).toBe(400);
    } finally {
      await testing.close();
    }
  });
});
