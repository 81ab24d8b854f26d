import { connect, type AddressInfo } from 'node:net';
import { Body, Controller, type INestApplication, Post, RequestMethod, VersioningType } from '@nestjs/common';
import { FaceWebhooksModule } from 'nestjs-face-webhooks';
import {
  faceioFixture,
  idaasFixture,
  signFaceioRequest,
  signIdaasRequest,
} from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import type { CaptureLogger } from './support/capture-logger.js';
import { ADAPTERS, createTestApp, ready } from './support/create-app.js';
import { rawExchange } from './support/raw-http.js';
import { RecordingHandlers } from './support/recording-handlers.js';

// Which requests the module takes as webhook deliveries: exactly its mounted routes, the same way on
// both adapters, and never an app route that merely looks like one.
const TOKEN = 'routing-token';
const IDAAS_SECRET = 'routing-idaas-secret';

/** App routes that end like the webhook routes: their bodies are the app's, parsed by Nest. */
@Controller('legacy/webhooks')
class LegacyWebhooksController {
  @Post('faceio')
  faceio(@Body() body: unknown) {
    return { body, isBuffer: Buffer.isBuffer(body) };
  }
}

@Controller('webhooks/faceio')
class NestedUnderWebhookRouteController {
  @Post('extra')
  extra(@Body() body: unknown) {
    return { body };
  }
}

const faceioDelivery = (body: object = faceioFixture('AUTH')) => signFaceioRequest({ token: TOKEN, body });

describe.each(ADAPTERS)('webhook routes (%s)', (adapter) => {
  let app: INestApplication;
  let logger: CaptureLogger;
  let handlers: RecordingHandlers;
  let port: number;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: TOKEN },
          idaas: { secret: IDAAS_SECRET },
          bodyLimit: '1kb',
        }),
      ],
      providers: [RecordingHandlers],
      controllers: [LegacyWebhooksController, NestedUnderWebhookRouteController],
    }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    handlers = app.get(RecordingHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    handlers.reset();
    logger.lines.length = 0;
  });

  it("leaves an app route ending in /webhooks/faceio to the app, with Nest's parsed body", async () => {
    const res = await request(app.getHttpServer())
      .post('/legacy/webhooks/faceio')
      .set('Content-Type', 'application/json')
      .send('{"mine":true}');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ body: { mine: true }, isBuffer: false });
    const nested = await request(app.getHttpServer())
      .post('/webhooks/faceio/extra')
      .set('Content-Type', 'application/json')
      .send('{"mine":2}');
    expect(nested.status).toBe(201);
    expect(nested.body).toEqual({ body: { mine: 2 } });
    expect(handlers.calls).toHaveLength(0);
  });

  it.each([
    ['/webhooks/faceio/'],
    ['/WEBHOOKS/FACEIO'],
    ['/Webhooks/faceio'],
    ['/webhooks/face%69o'],
    ['//webhooks/faceio'],
    ['/webhooks//faceio'],
  ])('answers 404 to a correctly authenticated delivery sent to %s, on both adapters', async (path) => {
    const signed = faceioDelivery();
    const res = await request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, message: `Cannot POST ${path}`, error: 'Not Found' });
    expect(handlers.calls).toHaveLength(0);
  });

  it('answers 404 to a near miss before reading its body, even an invalid one', async () => {
    const res = await request(app.getHttpServer())
      .post('/WEBHOOKS/FACEIO')
      .set('Content-Type', 'application/json')
      .send('{not json');
    expect(res.status).toBe(404);
  });

  it('answers 404 to an IDaaS delivery signed for a trailing-slash or upper-case URL', async () => {
    for (const path of ['/webhooks/idaas/', '/WEBHOOKS/IDAAS']) {
      const signed = signIdaasRequest({
        secret: IDAAS_SECRET,
        url: `http://127.0.0.1:${port}${path}`,
        body: idaasFixture('face.biometric.created'),
      });
      const res = await request(app.getHttpServer()).post(path).set(signed.headers).send(signed.body);
      expect(res.status).toBe(404);
    }
  });

  it('still serves the exact route, with a query string', async () => {
    const signed = faceioDelivery(faceioFixture('AUTH', { facialId: 'routing-query' }));
    const res = await request(app.getHttpServer())
      .post('/webhooks/faceio?source=console')
      .set(signed.headers)
      .send(signed.body);
    expect(res.status).toBe(200);
    expect(handlers.of('auth')).toHaveLength(1);
  });

  it('answers 413 with the same body on both adapters, declared or chunked', async () => {
    const expected = {
      statusCode: 413,
      message: 'Request body is larger than the 1024-byte limit',
      error: 'Payload Too Large',
    };
    const declared = await request(app.getHttpServer())
      .post('/webhooks/faceio')
      .set(faceioDelivery().headers)
      .send(JSON.stringify({ ...faceioFixture('AUTH'), pad: 'x'.repeat(2_000) }));
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual(expected);

    const chunked = await rawExchange(
      port,
      `POST /webhooks/faceio HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n800\r\n${'x'.repeat(0x800)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    expect(JSON.parse(chunked.slice(chunked.indexOf('\r\n\r\n') + 4))).toEqual(expected);
  });

  it('logs a sender that aborts its body once, at debug level, and no error', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `POST /webhooks/faceio HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: 500\r\n\r\n{"eventName":`,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(logger.find('debug', 'aborted by the sender')).toHaveLength(1);
    expect(logger.lines.filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([]);
    expect(handlers.calls).toHaveLength(0);
  });
});

describe.each(ADAPTERS)('webhook routes under a global prefix and versioning (%s)', (adapter) => {
  it('serves <prefix>/webhooks/<provider> exactly, and not the unprefixed path', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN } })],
      providers: [RecordingHandlers],
      globalPrefix: 'api/v2',
    });
    try {
      const signed = faceioDelivery();
      const served = await request(app.getHttpServer())
        .post('/api/v2/webhooks/faceio')
        .set(signed.headers)
        .send(signed.body);
      expect(served.status).toBe(200);
      const unprefixed = await request(app.getHttpServer())
        .post('/webhooks/faceio')
        .set(signed.headers)
        .send(signed.body);
      expect(unprefixed.status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('serves the unprefixed route when the app excludes it from the prefix, and URI versioning leaves it alone', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN } })],
      providers: [RecordingHandlers],
      configure: (created) => {
        created.setGlobalPrefix('api', {
          exclude: [{ path: 'webhooks/:provider', method: RequestMethod.POST }],
        });
        created.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      },
    });
    try {
      await ready(app);
      const signed = faceioDelivery();
      const res = await request(app.getHttpServer())
        .post('/webhooks/faceio')
        .set(signed.headers)
        .send(signed.body);
      expect(res.status).toBe(200);
      expect(app.get(RecordingHandlers).of('auth')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
