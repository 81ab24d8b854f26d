import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import {
  faceioFixture,
  faceSignFixture,
  idaasFixture,
  onfidoFixture,
  sumsubFixture,
  veriffFixture,
  signFaceioRequest,
  signFaceSignRequest,
  personaFixture,
  signIdaasRequest,
  signOnfidoRequest,
  signSumsubRequest,
  signVeriffRequest,
  signPersonaRequest,
  signStandardWebhookRequest,
  stripeIdentityFixture,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { locateEnvFile, publicDevSecrets } from '../sample-app/src/config/env-file.js';
import { CaptureLogger } from './support/capture-logger.js';
import Stripe from 'stripe';
import { livenessProvider } from '../sample-app/src/liveness/liveness.definition.js';
import { startSampleApp } from './support/sample-app.js';
import { ADAPTERS } from './support/create-app.js';

const TOKEN = 'sample-app-test-token';
const FACESIGN_SECRET = 'whsec_sample_app_test';
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(512, 1)]);
const ENV = {
  FACEIO_WEBHOOK_TOKEN: TOKEN,
  FACESIGN_WEBHOOK_SECRET: FACESIGN_SECRET,
  FACESIGN_MEDIA_ALLOW_HTTP: 'true',
  IDAAS_WEBHOOK_SECRET: 'sample-app-idaas-secret',
  CONSOLE_PASSWORD: 'sample-app-console-password',
  FACEIO_TENANTS: 'acme=acme-test-token,zenith=zenith-test-token|zenith-next-token',
  // As behind a proxy: IDaaS posts to this public URL, the app sees plain HTTP on a local port.
  IDAAS_PUBLIC_BASE_URL: 'https://sample.example.com',
  LIVENESS_WEBHOOK_SECRET: 'sample-app-liveness-secret',
  STRIPE_IDENTITY_WEBHOOK_SECRET: 'whsec_sample_app_stripe_identity',
  PERSONA_WEBHOOK_SECRET: 'wbhsec_sample_app_persona',
  STANDARD_WEBHOOK_SECRET: 'whsec_c2FtcGxlLWFwcC1zdGFuZGFyZC1zZWNyZXQ=',
  ONFIDO_WEBHOOK_TOKEN: 'sample-app-onfido-token',
  VERIFF_WEBHOOK_SECRET: 'sample-app-veriff-secret',
  SUMSUB_WEBHOOK_SECRET: 'sample-app-sumsub-secret',
};

describe.each(ADAPTERS)('sample app (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let mediaServer: Server;
  let mediaBase: string;
  let mediaDir: string;
  const sendFaceSign = (body: object) => {
    const signed = signFaceSignRequest({ secret: FACESIGN_SECRET, body });
    return request(app.getHttpServer()).post('/webhooks/facesign').set(signed.headers).send(signed.body);
  };
  const send = (body: object) => {
    const signed = signFaceioRequest({ token: TOKEN, body });
    return request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body);
  };

  beforeAll(async () => {
    mediaServer = createServer((req, res) => {
      if (req.url === '/login.jpg') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      if (req.url === '/to-file.jpg') return res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      if (req.url === '/unavailable.jpg') return res.writeHead(503).end();
      if (req.url === '/gone.jpg') return res.writeHead(403).end();
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(PHOTO);
    });
    await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
    mediaBase = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}`;
    mediaDir = mkdtempSync(join(tmpdir(), 'sample-media-'));
    // Variables in the environment win over the env file.
    Object.assign(process.env, ENV, { FACESIGN_MEDIA_DIR: mediaDir });
    logger = new CaptureLogger();
    app = await startSampleApp(adapter, logger);
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => mediaServer.close(resolve));
    rmSync(mediaDir, { recursive: true, force: true });
    for (const key of [...Object.keys(ENV), 'FACESIGN_MEDIA_DIR']) delete process.env[key];
  });

  it('falls back to .env.example when there is no .env', () => {
    expect(locateEnvFile().path).toMatch(/sample-app[\\/]\.env(\.example)?$/);
  });

  it('calls secrets public only while they keep their .env.example value, wherever they come from', () => {
    // This suite sets every secret in the environment: no warning is due.
    expect(publicDevSecrets()).toEqual([]);
    const example = {
      FACEIO_WEBHOOK_TOKEN: 'dev-faceio-token-change-me',
      FACESIGN_WEBHOOK_SECRET: 'whsec_dev_facesign_secret_change_me',
      IDAAS_WEBHOOK_SECRET: 'dev-idaas-secret-change-me',
      CONSOLE_PASSWORD: 'dev-console-password-change-me',
      FACEIO_TENANTS: 'acme=dev-acme-faceio-token,zenith=dev-zenith-faceio-token',
      LIVENESS_WEBHOOK_SECRET: 'dev-liveness-secret-change-me',
      STRIPE_IDENTITY_WEBHOOK_SECRET: 'whsec_dev_stripe_identity_change_me',
      PERSONA_WEBHOOK_SECRET: 'wbhsec_dev_persona_change_me',
      STANDARD_WEBHOOK_SECRET: 'whsec_ZGV2LXN0YW5kYXJkLXdlYmhvb2tzLXNlY3JldA==',
      ONFIDO_WEBHOOK_TOKEN: 'dev-onfido-token-change-me',
      VERIFF_WEBHOOK_SECRET: 'dev-veriff-secret-change-me',
      SUMSUB_WEBHOOK_SECRET: 'dev-sumsub-secret-change-me',
    };
    expect(publicDevSecrets(example)).toEqual(Object.keys(example));
    expect(publicDevSecrets({ ...example, FACEIO_WEBHOOK_TOKEN: 'mine' })).toEqual([
      'FACESIGN_WEBHOOK_SECRET',
      'IDAAS_WEBHOOK_SECRET',
      'CONSOLE_PASSWORD',
      'FACEIO_TENANTS',
      'LIVENESS_WEBHOOK_SECRET',
      'STRIPE_IDENTITY_WEBHOOK_SECRET',
      'PERSONA_WEBHOOK_SECRET',
      'STANDARD_WEBHOOK_SECRET',
      'ONFIDO_WEBHOOK_TOKEN',
      'VERIFF_WEBHOOK_SECRET',
      'SUMSUB_WEBHOOK_SECRET',
    ]);
  });

  it('serves GET /health (the memory store, no queue) and GET /metrics', async () => {
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info).toEqual({ 'face-webhooks': { status: 'up', store: 'up' } });
    const metrics = await request(app.getHttpServer()).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('face_webhooks_deduplication_entries');
  });

  it('keeps its listings, /metrics and /health to operators: on loopback while it listens there, else behind the console credentials', async () => {
    const paths = [
      '/face-events',
      '/enrollments',
      '/identity-verifications',
      '/liveness-checks',
      '/metrics',
      '/health',
    ];
    const get = (path: string) => request(app.getHttpServer()).get(path);
    const statuses = async (prepare: (test: request.Test) => request.Test = (test) => test) =>
      Promise.all(paths.map(async (path) => [path, (await prepare(get(path))).status]));
    const all = (status: number) => paths.map((path) => [path, status]);
    // Listening on loopback only (no HOST): a request made on this machine needs nothing.
    expect(await statuses()).toEqual(all(200));
    // One a proxy forwarded is not this machine's.
    expect(await statuses((test) => test.set('x-forwarded-for', '203.0.113.9'))).toEqual(all(401));
    process.env.HOST = '0.0.0.0';
    try {
      expect(await statuses()).toEqual(all(401));
      expect(await statuses((test) => test.auth('admin', 'wrong'))).toEqual(all(401));
      expect(await statuses((test) => test.auth('admin', ENV.CONSOLE_PASSWORD))).toEqual(all(200));
    } finally {
      delete process.env.HOST;
    }
  });

  it('serves the delivery console at /console behind HTTP Basic', async () => {
    const anonymous = await request(app.getHttpServer()).get('/console');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic /);
    // The console's own headers come first, so even the app guard's 401 cannot be framed or cached.
    expect(anonymous.headers['x-frame-options']).toBe('DENY');
    expect(anonymous.headers['cache-control']).toBe('no-store');
    expect((await request(app.getHttpServer()).get('/console').auth('admin', 'wrong')).status).toBe(401);
    const page = await request(app.getHttpServer()).get('/console').auth('admin', ENV.CONSOLE_PASSWORD);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Face webhooks</title>');
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('records an enrolment, its authentications and its deletion, and audits every event', async () => {
    const facialId = 'sample-facial-id-1';
    expect((await send(faceioFixture('ENROLL', { facialId }))).status).toBe(200);
    const enrolled = await request(app.getHttpServer()).get(`/enrollments/${facialId}`);
    expect(enrolled.status).toBe(200);
    expect(enrolled.body).toMatchObject({
      facialId,
      age: '36',
      gender: 'female',
      enrolledAt: '2026-11-24T07:55:59.000Z',
    });
    expect(enrolled.body).not.toHaveProperty('lastAuthenticatedAt');

    expect((await send(faceioFixture('AUTH', { facialId }))).status).toBe(200);
    const authenticated = await request(app.getHttpServer()).get(`/enrollments/${facialId}`);
    expect(authenticated.body.lastAuthenticatedAt).toEqual(expect.any(String));
    expect((await request(app.getHttpServer()).get('/enrollments')).body).toHaveLength(1);

    expect((await send(faceioFixture('DELETION', { facialId }))).status).toBe(200);
    expect((await request(app.getHttpServer()).get(`/enrollments/${facialId}`)).status).toBe(404);

    const audit = await request(app.getHttpServer()).get('/face-events');
    expect(audit.body.map((e: { type: string }) => e.type)).toEqual([
      'faceio.ENROLL',
      'faceio.AUTH',
      'faceio.DELETION',
    ]);
    for (const entry of audit.body) {
      expect(entry).toEqual({
        provider: 'faceio',
        type: expect.any(String),
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        receivedAt: expect.any(String),
      });
    }
  });

  it('tracks a FaceSign session and stores its media through the media service', async () => {
    const sessionId = 'sample-session-1';
    expect((await sendFaceSign(faceSignFixture('session.status', { sessionId }))).status).toBe(200);
    const photo = faceSignFixture('media.user_photo', { sessionId });
    photo.media!.url = `${mediaBase}/photo.jpg`;
    expect((await sendFaceSign(photo)).status).toBe(200);

    const session = await request(app.getHttpServer()).get(`/sessions/${sessionId}`);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ sessionId, statusChanges: 1 });
    expect(session.body.events.map((e: { type: string }) => e.type)).toEqual([
      'facesign.session.status',
      'facesign.media.user_photo',
    ]);
    expect(session.body.media).toEqual([
      expect.objectContaining({ mediaId: photo.media!.id, contentType: 'image/jpeg', bytes: PHOTO.length }),
    ]);
    expect(readFileSync(session.body.media[0].file).equals(PHOTO)).toBe(true);
    expect((await request(app.getHttpServer()).get('/sessions/unknown')).status).toBe(404);
  });

  it('acknowledges a media event whose URL already expired, and records why nothing was stored', async () => {
    const sessionId = 'sample-session-2';
    const late = faceSignFixture('media.document_photo', { sessionId });
    late.media = { ...late.media!, url: `${mediaBase}/doc.jpg`, expires: Date.now() - 1000 };
    expect((await sendFaceSign(late)).status).toBe(200);
    const session = await request(app.getHttpServer()).get(`/sessions/${sessionId}`);
    expect(session.body.media).toEqual([
      expect.objectContaining({ error: expect.stringContaining('expired') }),
    ]);
  });

  it.each([
    ['/login.jpg', 'the server sent text/html'],
    ['/to-file.jpg', 'URLs are not allowed'],
    ['/gone.jpg', '403'],
  ])(
    'acknowledges a media download that can never succeed (%s), records why, and leaves no file',
    async (path, why) => {
      const sessionId = `sample-session-permanent-${path.slice(1, 5)}`;
      const event = faceSignFixture('media.user_photo', { sessionId });
      event.media = { ...event.media!, url: `${mediaBase}${path}` };
      expect((await sendFaceSign(event)).status).toBe(200);
      const session = await request(app.getHttpServer()).get(`/sessions/${sessionId}`);
      expect(session.body.media).toEqual([expect.objectContaining({ error: expect.stringContaining(why) })]);
      expect(readdirSync(mediaDir).filter((file) => file.startsWith(sessionId))).toEqual([]);
    },
  );

  it('answers 500 to a media download that may succeed later (503 from the media host), and leaves no file', async () => {
    const sessionId = 'sample-session-transient';
    const event = faceSignFixture('media.user_photo', { sessionId });
    event.media = { ...event.media!, url: `${mediaBase}/unavailable.jpg` };
    expect((await sendFaceSign(event)).status).toBe(500);
    expect(readdirSync(mediaDir).filter((file) => file.startsWith(sessionId))).toEqual([]);
  });

  it('links an IDaaS face biometric to the user enrolled through FACEIO, and logs failed authentications', async () => {
    const sendIdaas = (body: object) => {
      const signed = signIdaasRequest({
        secret: ENV.IDAAS_WEBHOOK_SECRET,
        url: 'https://sample.example.com/webhooks/idaas',
        body,
      });
      return request(app.getHttpServer()).post('/webhooks/idaas').set(signed.headers).send(signed.body);
    };
    expect(
      (await send(faceioFixture('ENROLL', { facialId: 'linked-1', payload: { userId: 'john' } }))).status,
    ).toBe(200);
    expect((await sendIdaas(idaasFixture('face.biometric.created'))).status).toBe(200);

    const faces = await request(app.getHttpServer()).get('/enrollments/users/john');
    expect(faces.body.faceio.map((e: { facialId: string }) => e.facialId)).toEqual(['linked-1']);
    expect(faces.body.idaas).toEqual([
      expect.objectContaining({
        userId: 'john',
        entityId: 'd2b7e02f-9978-4091-aaa0-ae72f96e1415',
        status: 'ACTIVATING',
      }),
    ]);

    const failed = idaasFixture('authentication.failed');
    expect((await sendIdaas(failed)).status).toBe(200);
    expect(logger.find('warn', 'IDaaS authentication failed for john', failed.id)).toHaveLength(1);
  });

  it("serves two tenants from the app's own store, each with its token, and keeps them apart", async () => {
    const post = (path: string, token: string, facialId: string) => {
      const signed = signFaceioRequest({ token, body: faceioFixture('ENROLL', { facialId }) });
      return request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);
    };
    expect((await post('/webhooks/faceio/acme', 'acme-test-token', 'tenant-a')).status).toBe(200);
    // zenith is rotating: both of its tokens pass.
    expect((await post('/webhooks/faceio/zenith', 'zenith-next-token', 'tenant-z')).status).toBe(200);
    expect((await post('/webhooks/faceio/zenith', 'zenith-test-token', 'tenant-z2')).status).toBe(200);
    // acme's token on zenith's route, and an unknown tenant: the same 404.
    expect((await post('/webhooks/faceio/zenith', 'acme-test-token', 'tenant-x')).status).toBe(404);
    expect((await post('/webhooks/faceio/nobody', 'acme-test-token', 'tenant-y')).status).toBe(404);
    const events = await request(app.getHttpServer()).get('/face-events');
    const tenants = (events.body as { tenant?: string }[]).map((event) => event.tenant).filter(Boolean);
    expect(tenants).toEqual(['acme', 'zenith', 'zenith']);
  });

  it('takes FACEIO deliveries at its legacy URL through the same pipeline', async () => {
    const legacy = (body: object, token = TOKEN) => {
      const signed = signFaceioRequest({ token, body });
      return request(app.getHttpServer())
        .post('/api/v1/faceio-callback')
        .set(signed.headers)
        .send(signed.body);
    };
    const enroll = faceioFixture('ENROLL', { facialId: 'legacy-url-1' });
    expect((await legacy(enroll)).body).toEqual({ received: true });
    expect((await request(app.getHttpServer()).get('/enrollments/legacy-url-1')).status).toBe(200);
    // The same event again, at either URL: a duplicate.
    expect((await legacy(enroll)).body).toEqual({ received: true, duplicate: true });
    expect((await send(enroll)).body).toEqual({ received: true, duplicate: true });
    expect(logger.find('log', 'at the legacy URL')).toHaveLength(2);
    expect((await legacy(faceioFixture('AUTH'), 'dev-faceio-token-change-me')).status).toBe(401);
    expect((await legacy({ ...enroll, facialId: '' })).status).toBe(400);
  });

  it('refuses a delivery signed with another token', async () => {
    const signed = signFaceioRequest({ token: 'dev-faceio-token-change-me', body: faceioFixture('AUTH') });
    const res = await request(app.getHttpServer())
      .post('/webhooks/faceio')
      .set(signed.headers)
      .send(signed.body);
    expect(res.status).toBe(401);
  });

  it("receives its in-house liveness vendor, a provider of the app's own, and records each user's result", async () => {
    const { testing } = livenessProvider;
    const sendLiveness = (type: string, result: object) => {
      const body = { ...testing.fixture(type), result };
      const signed = testing.sign(ENV.LIVENESS_WEBHOOK_SECRET, '', JSON.stringify(body));
      return request(app.getHttpServer()).post('/webhooks/liveness').set(signed.headers).send(signed.body);
    };
    const passed = await sendLiveness('check.passed', { sessionId: 's1', userRef: 'u-live', score: 0.98 });
    expect(passed.status).toBe(200);
    expect((await request(app.getHttpServer()).get('/liveness-checks/u-live')).body).toMatchObject({
      userRef: 'u-live',
      live: true,
      score: 0.98,
    });
    const failed = await sendLiveness('check.failed', { sessionId: 's2', userRef: 'u-spoof', score: 0.1 });
    expect(failed.status).toBe(400);
    expect(JSON.stringify(failed.body.message)).toContain('result.reason');
    const withReason = await sendLiveness('check.failed', {
      sessionId: 's2',
      userRef: 'u-spoof',
      reason: 'spoof_detected',
    });
    expect(withReason.status).toBe(200);
    expect((await request(app.getHttpServer()).get('/liveness-checks/u-spoof')).body).toMatchObject({
      live: false,
      reason: 'spoof_detected',
    });
    const forged = { ...testing.fixture('check.passed') };
    const wrong = testing.sign('not-the-secret', '', JSON.stringify(forged));
    expect(
      (await request(app.getHttpServer()).post('/webhooks/liveness').set(wrong.headers).send(wrong.body))
        .status,
    ).toBe(401);
    const stale = {
      ...testing.fixture('check.passed'),
      createdAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const signedStale = testing.sign(ENV.LIVENESS_WEBHOOK_SECRET, '', JSON.stringify(stale));
    expect(
      (
        await request(app.getHttpServer())
          .post('/webhooks/liveness')
          .set(signedStale.headers)
          .send(signedStale.body)
      ).status,
    ).toBe(401);
  });

  it('records a person Stripe Identity verified against the user who started the session', async () => {
    const stripe = new Stripe('sk_test_unused');
    const sendStripe = (body: object) => {
      const payload = JSON.stringify(body);
      const header = stripe.webhooks.generateTestHeaderString({
        payload,
        secret: ENV.STRIPE_IDENTITY_WEBHOOK_SECRET,
      });
      return request(app.getHttpServer())
        .post('/webhooks/stripe-identity')
        .set({ 'content-type': 'application/json', 'stripe-signature': header })
        .send(payload);
    };
    const needsInput = stripeIdentityFixture('identity.verification_session.requires_input');
    needsInput.data.object.client_reference_id = 'user-stripe-1';
    needsInput.created -= 60;
    expect((await sendStripe(needsInput)).status).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-stripe-1')).body,
    ).toMatchObject({
      status: 'needs_input',
      provider: 'stripe-identity',
    });
    const verified = stripeIdentityFixture('identity.verification_session.verified');
    verified.data.object.client_reference_id = 'user-stripe-1';
    expect((await sendStripe(verified)).status).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-stripe-1')).body,
    ).toMatchObject({
      userId: 'user-stripe-1',
      status: 'verified',
      provider: 'stripe-identity',
      verificationId: verified.data.object.id,
      eventId: verified.id,
    });
  });

  it("records the person Persona approved or declined against the inquiry's reference id", async () => {
    const sendPersona = (body: object) => {
      const signed = signPersonaRequest({ secret: ENV.PERSONA_WEBHOOK_SECRET, body });
      return request(app.getHttpServer()).post('/webhooks/persona').set(signed.headers).send(signed.body);
    };
    const declined = personaFixture('inquiry.declined', new Date(Date.now() - 60_000));
    declined.data.attributes.payload.data.attributes['reference-id'] = 'user-persona-1';
    expect((await sendPersona(declined)).status).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-persona-1')).body,
    ).toMatchObject({ status: 'declined', provider: 'persona' });
    const approved = personaFixture('inquiry.approved');
    approved.data.attributes.payload.data.attributes['reference-id'] = 'user-persona-1';
    expect((await sendPersona(approved)).status).toBe(200);
    // An inquiry that only completed decides nothing.
    const completed = personaFixture('inquiry.completed');
    completed.data.attributes.payload.data.attributes['reference-id'] = 'user-persona-1';
    expect((await sendPersona(completed)).status).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-persona-1')).body,
    ).toMatchObject({
      userId: 'user-persona-1',
      status: 'verified',
      provider: 'persona',
      verificationId: approved.data.attributes.payload.data.id,
      eventId: approved.data.id,
    });
    const events = (await request(app.getHttpServer()).get('/face-events')).body as { type: string }[];
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['persona.inquiry.declined', 'persona.inquiry.approved']),
    );
  });

  it('records the outcome of an Onfido workflow run against its customer user id', async () => {
    const sendOnfido = (body: object) => {
      const signed = signOnfidoRequest({ secret: ENV.ONFIDO_WEBHOOK_TOKEN, body });
      return request(app.getHttpServer()).post('/webhooks/onfido').set(signed.headers).send(signed.body);
    };
    const run = onfidoFixture('workflow_run.completed');
    run.payload.resource!.customer_user_id = 'user-onfido-1';
    run.payload.object.status = 'declined';
    run.payload.resource!.status = 'declined';
    expect((await sendOnfido(run)).status).toBe(200);
    expect((await sendOnfido(run)).body).toMatchObject({ duplicate: true });
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-onfido-1')).body,
    ).toMatchObject({
      userId: 'user-onfido-1',
      status: 'declined',
      provider: 'onfido',
      verificationId: run.payload.object.id,
    });
    const forged = signOnfidoRequest({ secret: 'not-the-token', body: run });
    expect(
      (await request(app.getHttpServer()).post('/webhooks/onfido').set(forged.headers).send(forged.body))
        .status,
    ).toBe(401);
  });

  it('records Veriff decisions against vendorData and Sumsub reviews against externalUserId', async () => {
    const post = (path: string, signed: { headers: Record<string, string>; body: string }) =>
      request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);
    const resubmit = veriffFixture('decision.resubmission_requested', new Date(Date.now() - 60_000));
    const approved = veriffFixture('decision.approved');
    for (const decision of [resubmit, approved]) {
      if (!('verification' in decision)) throw new Error('a decision fixture');
      decision.verification.vendorData = 'user-veriff-1';
    }
    const signedResubmit = signVeriffRequest({ secret: ENV.VERIFF_WEBHOOK_SECRET, body: resubmit });
    expect((await post('/webhooks/veriff', signedResubmit)).status).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-veriff-1')).body,
    ).toMatchObject({ status: 'needs_input', provider: 'veriff' });
    expect(
      (
        await post(
          '/webhooks/veriff',
          signVeriffRequest({ secret: ENV.VERIFF_WEBHOOK_SECRET, body: approved }),
        )
      ).status,
    ).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-veriff-1')).body,
    ).toMatchObject({ status: 'verified', provider: 'veriff' });
    // A copy replayed later is a duplicate, and a forged one is refused.
    expect((await post('/webhooks/veriff', signedResubmit)).body).toMatchObject({ duplicate: true });
    expect(
      (await post('/webhooks/veriff', signVeriffRequest({ secret: 'not-it', body: resubmit }))).status,
    ).toBe(401);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-veriff-1')).body,
    ).toMatchObject({ status: 'verified' });

    const review = sumsubFixture('applicantReviewed');
    review.externalUserId = 'user-sumsub-1';
    review.reviewResult = { reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'] };
    expect(
      (await post('/webhooks/sumsub', signSumsubRequest({ secret: ENV.SUMSUB_WEBHOOK_SECRET, body: review })))
        .status,
    ).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-sumsub-1')).body,
    ).toMatchObject({
      userId: 'user-sumsub-1',
      status: 'declined',
      provider: 'sumsub',
      verificationId: review.applicantId,
      reason: 'FORGERY',
    });
  });

  it("records the result of a Standard Webhooks sender's identity check, validating its data", async () => {
    const sendStandard = (body: object) => {
      const signed = signStandardWebhookRequest({ secret: ENV.STANDARD_WEBHOOK_SECRET, body });
      return request(app.getHttpServer()).post('/webhooks/standard').set(signed.headers).send(signed.body);
    };
    const check = {
      type: 'identity.check.completed',
      timestamp: new Date().toISOString(),
      data: { userId: 'user-standard-1', checkId: 'chk_7Fq2Lm9x', result: 'needs_input', reason: 'blurry' },
    };
    expect((await sendStandard(check)).status).toBe(200);
    expect(
      (await request(app.getHttpServer()).get('/identity-verifications/user-standard-1')).body,
    ).toMatchObject({
      userId: 'user-standard-1',
      status: 'needs_input',
      provider: 'standard',
      verificationId: 'chk_7Fq2Lm9x',
      reason: 'blurry',
    });
    const bad = await sendStandard({ ...check, data: { ...check.data, result: 'maybe' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('data.result');
  });
});
