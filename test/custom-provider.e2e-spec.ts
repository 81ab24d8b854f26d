import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  defineFaceWebhookProvider,
  FaceWebhooksConfigError,
  FaceWebhooksModule,
  OnFaceEvent,
  type AnyFaceEvent,
  type FaceEventOf,
} from 'nestjs-face-webhooks';
import { createFaceWebhooksTestingApp } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { acmeScanProvider, signAcme, type AcmeScanEvent } from './support/acme-scan.definition.mjs';
import { cli, cliWithEnv } from './support/cli.js';
import { ADAPTERS, createTestApp, listenOnLoopback } from './support/create-app.js';
import { rawExchange } from './support/raw-http.js';

// A provider an app defines itself, in plain JavaScript with the public API only
// (test/support/acme-scan.definition.mjs), received end to end like the built-in ones.

declare module 'nestjs-face-webhooks' {
  interface FaceEventMap {
    'acme-scan.scan.completed': AcmeScanEvent;
    'acme-scan.scan.rejected': AcmeScanEvent;
  }
}

@Injectable()
class AcmeHandlers {
  readonly completed: FaceEventOf<'acme-scan.scan.completed'>[] = [];
  readonly all: string[] = [];

  @OnFaceEvent('acme-scan.scan.completed')
  onCompleted(event: FaceEventOf<'acme-scan.scan.completed'>): void {
    // Typed through the event map: a number, not `unknown`.
    const similarity: number = event.data.result.similarity;
    if (similarity >= 0) this.completed.push(event);
  }

  @OnFaceEvent('acme-scan.**')
  onAny(event: FaceEventOf<'acme-scan.**'>): void {
    this.all.push(`${event.type} ${event.id}`);
  }
}

const SECRET = 'acme-e2e-secret';

let sequence = 0;
const scan = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `scan-e2e-${Date.now()}-${sequence++}`,
    kind: 'scan.completed',
    result: { subject: 'user-9', similarity: 0.91 },
    ...overrides,
  });

describe.each(ADAPTERS)('a provider defined by the app with the public API (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: AcmeHandlers;
  let url: string;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRootAsync({
          useFactory: () => ({
            webhookProviders: [acmeScanProvider.configure({ secret: [SECRET, 'next'] })],
          }),
        }),
      ],
      providers: [AcmeHandlers],
    }));
    url = `${await listenOnLoopback(app)}/webhooks/acme-scan`;
    handlers = app.get(AcmeHandlers);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    handlers.completed.length = 0;
    handlers.all.length = 0;
  });

  const post = (signed: { headers: Record<string, string>; body: string }) =>
    request(app.getHttpServer()).post('/webhooks/acme-scan').set(signed.headers).send(signed.body);

  it('authenticates, validates and hands the typed event to its handlers once; a repeat is a duplicate', async () => {
    const signed = signAcme(SECRET, scan());
    const first = await post(signed);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true });
    expect(handlers.completed).toHaveLength(1);
    const event = handlers.completed[0]!;
    expect(event.provider).toBe('acme-scan');
    expect(event.type).toBe('acme-scan.scan.completed');
    expect(event.data.result).toEqual({ subject: 'user-9', similarity: 0.91 });
    expect(event.data).toBeInstanceOf(Object);

    const again = await post(signed);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(handlers.completed).toHaveLength(1);
    expect(handlers.all).toHaveLength(1);
  });

  it('accepts a delivery signed with the second secret (rotation)', async () => {
    const response = await post(signAcme('next', scan()));
    expect(response.status).toBe(200);
    expect(handlers.completed).toHaveLength(1);
  });

  it.each([
    ['a wrong secret', () => signAcme('not-the-secret', scan())],
    [
      'a tampered body',
      () => {
        const signed = signAcme(SECRET, scan());
        return { ...signed, body: signed.body.replace('0.91', '0.99') };
      },
    ],
    ['a stale timestamp', () => signAcme(SECRET, scan(), Math.floor(Date.now() / 1000) - 301)],
    ['a future timestamp', () => signAcme(SECRET, scan(), Math.floor(Date.now() / 1000) + 301)],
    ['no signature header', () => ({ headers: { 'content-type': 'application/json' }, body: scan() })],
  ])('refuses %s with 401 and runs nothing', async (_case, make) => {
    const response = await post(make());
    expect(response.status).toBe(401);
    expect(handlers.all).toHaveLength(0);
  });

  it('refuses a repeated signature header with 401', async () => {
    const signed = signAcme(SECRET, scan());
    const header = signed.headers['acme-signature']!;
    const port = Number(new URL(url).port);
    const answer = await rawExchange(
      port,
      `POST /webhooks/acme-scan HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `acme-signature: ${header}\r\nacme-signature: ${header}\r\n` +
        `content-length: ${Buffer.byteLength(signed.body)}\r\nconnection: close\r\n\r\n${signed.body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(handlers.all).toHaveLength(0);
  });

  it('answers 400 naming the field when the body fails the DTO', async () => {
    const response = await post(signAcme(SECRET, scan({ result: { subject: 'user-9', similarity: 2 } })));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain('result.similarity');
    expect(handlers.all).toHaveLength(0);
  });

  it('is sent by the CLI, loaded from the module that exports it', async () => {
    const { code, stdout } = await cli(
      '--providers',
      'test/support/acme-scan.definition.mjs',
      'send',
      'acme-scan.scan.completed',
      '--url',
      url,
      '--secret',
      SECRET,
    );
    expect(stdout).toMatch(/acme-scan\.scan\.completed -> POST .*: 200 OK/);
    expect(code).toBe(0);
    expect(handlers.completed).toHaveLength(1);
  });

  it('is listed by the CLI with its types and secret variable', async () => {
    const { code, stdout } = await cli('--providers', 'test/support/acme-scan.definition.mjs', 'list');
    expect(code).toBe(0);
    expect(stdout).toContain('acme-scan: Acme Scan (--secret, or ACME_SCAN_SECRET)');
    expect(stdout).toContain('  acme-scan.scan.rejected');
    expect(stdout).toContain('  faceio.ENROLL');
  });

  it('is described in the OpenAPI document', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const operation = document.paths['/webhooks/{provider}']?.post;
    const parameters = (operation?.parameters ?? []) as {
      name: string;
      in: string;
      schema?: { enum?: string[] };
    }[];
    expect(parameters.find((p) => p.name === 'provider')?.schema?.enum).toEqual(['acme-scan']);
    expect(parameters.filter((p) => p.in === 'header').map((p) => p.name)).toEqual(['Acme-Signature']);
    const body = operation!.requestBody as {
      content: Record<string, { schema: { oneOf: { title: string }[] } }>;
    };
    expect(body.content['application/json']!.schema.oneOf.map((schema) => schema.title)).toEqual([
      'Acme Scan event',
    ]);
  });
});

describe('the testing kit with a provider of the app', () => {
  it('enables it with its test secret and delivers its fixtures, signed', async () => {
    const testing = await createFaceWebhooksTestingApp({
      webhookProviders: [acmeScanProvider],
      providers: [AcmeHandlers],
    });
    try {
      const response = await testing.deliver('acme-scan.scan.completed', { 'result.subject': 'kit-1' });
      expect(response.status).toBe(200);
      const handlers = testing.app.get(AcmeHandlers);
      expect(handlers.completed.map((event) => event.data.result.subject)).toEqual(['kit-1']);
      expect((await testing.deliver('faceio.ENROLL')).status).toBe(200);
    } finally {
      await testing.close();
    }
  });
});

@Injectable()
class EveryEvent {
  readonly ids: string[] = [];

  @OnFaceEvent('**')
  record(event: AnyFaceEvent): void {
    this.ids.push(`${event.type} ${event.id}`);
  }
}

/** The same sender, but its event id travels in a signed header (as Standard Webhooks' webhook-id). */
const headerIdProvider = defineFaceWebhookProvider({
  ...acmeScanProvider,
  name: 'acme-ids',
  create(options) {
    const inner = acmeScanProvider.create(options);
    return {
      ...inner,
      authenticate(request) {
        const result = inner.authenticate(request);
        return result.ok ? { ...result, eventId: String(request.headers['acme-event-id'] ?? '') } : result;
      },
    };
  },
});

describe.each(ADAPTERS)('an event id from the signed headers (%s)', (adapter) => {
  it('becomes the event id and the de-duplication key; an empty one is refused', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({ webhookProviders: [headerIdProvider.configure({ secret: SECRET })] }),
      ],
      providers: [EveryEvent],
    });
    try {
      const send = (id: string) => {
        const signed = signAcme(SECRET, scan());
        return request(app.getHttpServer())
          .post('/webhooks/acme-ids')
          .set({ ...signed.headers, 'acme-event-id': id })
          .send(signed.body);
      };
      expect((await send('msg_1')).body).toEqual({ received: true });
      // Another body, the same id: the sender's retry of one event.
      expect((await send('msg_1')).body).toEqual({ received: true, duplicate: true });
      expect((await send('')).status).toBe(401);
      expect(app.get(EveryEvent).ids).toEqual(['acme-ids.scan.completed msg_1']);
    } finally {
      await app.close();
    }
  });
});

describe('registering providers', () => {
  it('refuses a definition with a malformed name, naming it', () => {
    expect(() => defineFaceWebhookProvider({ ...acmeScanProvider, name: 'Acme Scan' })).toThrow(
      /provider name "Acme Scan" must be 1 to 32 lower case letters/,
    );
  });

  it('refuses, at startup, a provider named like another', async () => {
    const twin = defineFaceWebhookProvider({ ...acmeScanProvider, name: 'faceio' });
    await expect(
      createTestApp({
        adapter: 'express',
        imports: [FaceWebhooksModule.forRoot({ webhookProviders: [twin.configure({ secret: 's' })] })],
      }),
    ).rejects.toThrow(FaceWebhooksConfigError);
    await expect(
      createTestApp({
        adapter: 'express',
        imports: [
          FaceWebhooksModule.forRoot({
            webhookProviders: [
              acmeScanProvider.configure({ secret: 's' }),
              acmeScanProvider.configure({ secret: 't' }),
            ],
          }),
        ],
      }),
    ).rejects.toThrow(/a provider named "acme-scan" is already registered/);
  });

  it('checks its options with its own rules at startup', async () => {
    await expect(
      createTestApp({
        adapter: 'express',
        imports: [
          FaceWebhooksModule.forRoot({
            webhookProviders: [acmeScanProvider.configure({ toleranceSeconds: 0 })],
          }),
        ],
      }),
    ).rejects.toThrow(
      /acme-scan\.secret is required[\s\S]*acme-scan\.toleranceSeconds must be a whole number/,
    );
  });
});

describe('a provider defined by the app, verified by the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'acme-verify-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A capture of an Acme delivery of `body`, signed with SECRET at `signedAt` (Unix seconds). */
  const capture = (name: string, body: string, signedAt: number): string => {
    const { headers } = signAcme(SECRET, body, signedAt);
    const file = join(dir, name);
    const head = Object.entries(headers).map(([header, value]) => `${header}: ${value}`);
    writeFileSync(
      file,
      ['POST /webhooks/acme-scan HTTP/1.1', 'Host: api.example.com', ...head, '', body].join('\r\n'),
    );
    return file;
  };
  const verify = (secret: string, file: string) =>
    cliWithEnv(
      { ACME_SCAN_SECRET: secret },
      '--providers',
      'test/support/acme-scan.definition.mjs',
      'verify',
      '--provider',
      'acme-scan',
      '--request',
      file,
    );

  it('takes its secret from its variable, and reports every reason at once', async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = await verify(SECRET, capture('good.http', scan(), now));
    expect(good.stdout).toBe('valid: the acme-scan module would accept this request\n');
    expect(good.code).toBe(0);

    const stale = capture('stale.http', scan({ result: { subject: 'user-9', similarity: 2 } }), now - 3600);
    const bad = await verify('wrong-secret', stale);
    expect(bad.code).toBe(1);
    expect(bad.stdout.split('\n').filter(Boolean)).toEqual([
      'refused: authentication: t outside the window',
      'refused: authentication: as of the time it was signed: no secret matches',
      'refused: body: result.similarity must not be greater than 1',
    ]);
  }, 30_000);
});
