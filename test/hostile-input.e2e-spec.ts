import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { FaceWebhooksModule, type FaceEventOf } from 'nestjs-face-webhooks';
import {
  faceioFixture,
  signFaceSignRequest,
  signFaceioRequest,
  signIdaasRequest,
} from 'nestjs-face-webhooks/testing';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADAPTERS, createTestApp, listenOnLoopback } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

// Property-based attacks on every provider route, over real HTTP. Whatever arrives: never a 5xx,
// no handler call without valid credentials, no unhandled rejection, Object.prototype untouched.
const SECRETS = { faceio: 'prop-token', facesign: 'whsec_prop', idaas: 'prop-idaas' };
const PROVIDERS = ['faceio', 'facesign', 'idaas'] as const;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

// Header values Node will send: tab, printable ASCII and Latin-1 (no CR, LF or NUL).
const headerValue = fc
  .array(
    fc.oneof(
      fc.constantFrom('\t', ' '),
      fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 120 },
  )
  .map((chars) => chars.join(''));
const credentialHeaders = fc.constantFrom(
  'www-authenticate',
  'authorization',
  'x-facesign-signature',
  'x-facesign-timestamp',
  'facesign-signature',
  'content-digest',
  'signature-input',
  'signature',
  'x-sha2-signature',
  'content-type',
  'x-forwarded-host',
);
const plausibleValues = fc.oneof(
  headerValue,
  fc.constantFrom(
    'Bearer prop-token-x',
    'Bearer ',
    't=1,v1=' + 'a'.repeat(64),
    'sha-256=:AAAA:',
    'sig=("@method");alg="hmac-sha256"',
    'sig=:AAAA:',
    'application/json',
    'text/plain',
    'multipart/form-data; boundary=x',
  ),
);
const headers = fc.dictionary(
  credentialHeaders,
  fc.oneof(plausibleValues, fc.array(plausibleValues, { minLength: 2, maxLength: 3 })),
  { maxKeys: 6 },
);
const hostileKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
);
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, 1e308, -0, 2 ** 70, ''),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKeys, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const hostileBody = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  jsonish.map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  fc
    .integer({ min: 1, max: 60 })
    .map((depth) => Buffer.from(`{"eventName":"AUTH","payload":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
  fc
    .constantFrom(
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '{"eventName":1e999}',
      '{"eventName":"AUTH","payload":{"x":{"\\u0063onstructor":" "}}}',
      '\uFEFF{}',
    )
    .map((text) => Buffer.from(text)),
);

describe.each(ADAPTERS)('hostile input (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: RecordingHandlers;
  const problems: unknown[] = [];
  const onProblem = (error: unknown) => problems.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onProblem);
    process.on('uncaughtException', onProblem);
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: SECRETS.faceio },
          facesign: { secret: SECRETS.facesign },
          idaas: { secret: SECRETS.idaas },
          bodyLimit: '16kb',
        }),
      ],
      providers: [RecordingHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    handlers = app.get(RecordingHandlers);
  });
  afterAll(async () => {
    await app.close();
    process.off('unhandledRejection', onProblem);
    process.off('uncaughtException', onProblem);
  });
  afterEach(() => {
    expect(problems).toEqual([]);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  /** A raw HTTP client: sends exactly these headers (repeated ones as several lines) and bytes. */
  const post = (path: string, body: Buffer, headerMap: Record<string, string | string[]>) =>
    new Promise<{ status: number }>((resolve, reject) => {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const req = httpRequest(
        { host: '127.0.0.1', port, path, method: 'POST', headers: headerMap },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode! }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it.each(PROVIDERS)(
    '%s: arbitrary bodies and headers never get a 5xx or reach a handler',
    async (provider) => {
      await fc.assert(
        fc.asyncProperty(hostileBody, headers, async (body, headerMap) => {
          const res = await post(`/webhooks/${provider}`, body, headerMap);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(handlers.calls).toHaveLength(0);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it.each(PROVIDERS)(
    '%s: hostile JSON with valid credentials never gets a 5xx; handlers run only on a 2xx',
    async (provider) => {
      const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/webhooks/${provider}`;
      await fc.assert(
        fc.asyncProperty(hostileBody, async (body) => {
          handlers.reset();
          const text = body.toString('latin1');
          const signed =
            provider === 'faceio'
              ? signFaceioRequest({ token: SECRETS.faceio, body: text })
              : provider === 'facesign'
                ? signFaceSignRequest({ secret: SECRETS.facesign, body: text })
                : signIdaasRequest({ secret: SECRETS.idaas, url, body: text });
          // Sign the exact bytes: the signers take strings, so re-sign over latin1 text and send it as latin1.
          const res = await post(`/webhooks/${provider}`, Buffer.from(signed.body, 'latin1'), signed.headers);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 300) expect(handlers.calls).toHaveLength(0);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it.each(['facesign', 'idaas'] as const)(
    '%s: any single-byte change to a signed delivery is refused',
    async (provider) => {
      const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/webhooks/${provider}`;
      handlers.reset();
      const body = JSON.stringify({
        id: 'evt',
        type: 'x',
        eventName: 'AUTH',
        facialId: 'f',
        appId: 'a',
        clientIp: '1.2.3.4',
      });
      const signed =
        provider === 'facesign'
          ? signFaceSignRequest({ secret: SECRETS.facesign, body })
          : signIdaasRequest({ secret: SECRETS.idaas, url, body });
      // Body, timestamp, signature, digest: every part the signature covers or carries.
      const targets = ['body', ...Object.keys(signed.headers).filter((h) => h !== 'content-type')];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...targets),
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          async (target, position, delta) => {
            const mutate = (text: string) => {
              const bytes = Buffer.from(text, 'latin1');
              const at = position % bytes.length;
              bytes[at] = (bytes[at]! + delta) % 256;
              return bytes;
            };
            const headerMap = { ...signed.headers };
            let sent = Buffer.from(signed.body);
            if (target === 'body') sent = mutate(signed.body);
            else {
              const changed = mutate(headerMap[target]!).toString('latin1');
              // Node does not send control characters in headers; a change that trims away is no change.
              if (/[^\t\x20-\x7e\x80-\xff]/.test(changed) || changed.trim() === headerMap[target]!.trim())
                return;
              headerMap[target] = changed;
            }
            const res = await post(`/webhooks/${provider}`, sent, headerMap);
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
            expect(handlers.calls).toHaveLength(0);
          },
        ),
        { numRuns: RUNS },
      );
    },
  );

  it('faceio: every single-byte change of the header is refused, unless it spells the same credential', async () => {
    // FACEIO's token does not cover the body: the credential is the header, so every byte of it is
    // changed to every other value Node can send in a header. The scheme is case-insensitive and
    // may be followed by a tab (RFC 9110), so "bearer", "BEARER" or a tab for the space are the same
    // credential and accepted; every other change is refused.
    handlers.reset();
    const body = Buffer.from(
      JSON.stringify({ eventName: 'AUTH', facialId: 'sweep', appId: 'a', clientIp: '1.2.3.4' }),
    );
    const header = Buffer.from(`Bearer ${SECRETS.faceio}`, 'latin1');
    const sameCredential = (value: string) =>
      /^bearer[ \t]/i.test(value) && value.slice(7) === SECRETS.faceio;
    const wronglyAccepted: string[] = [];
    const wronglyRefused: string[] = [];
    let equivalentAccepted = 0;
    for (let at = 0; at < header.length; at++) {
      for (let delta = 1; delta < 256; delta++) {
        const bytes = Buffer.from(header);
        bytes[at] = (bytes[at]! + delta) % 256;
        const value = bytes.toString('latin1');
        if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) continue;
        const res = await post('/webhooks/faceio', body, {
          'content-type': 'application/json',
          'www-authenticate': value,
        });
        if (sameCredential(value)) {
          if (res.status === 200) equivalentAccepted++;
          else wronglyRefused.push(`${JSON.stringify(value)}: ${res.status}`);
        } else if (res.status !== 401) {
          wronglyAccepted.push(`${JSON.stringify(value)}: ${res.status}`);
        }
      }
    }
    expect(wronglyAccepted).toEqual([]);
    expect(wronglyRefused).toEqual([]);
    // One case change per letter of "Bearer", and the tab: the same body, so the first is handled
    // and the others are duplicates; none of them is a forgery.
    expect(equivalentAccepted).toBe(7);
    expect(handlers.calls.filter((call) => call.handler === 'auth')).toHaveLength(1);
  });
});

// Bodies far larger than the suite above allows: a long array must not overflow the stack of the
// checks that walk the parsed body (a 500 before).
describe.each(ADAPTERS)('hostile input, large bodies (%s)', (adapter) => {
  let app: INestApplication;
  let handlers: RecordingHandlers;
  let url: string;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: SECRETS.faceio }, bodyLimit: '2mb' })],
      providers: [RecordingHandlers],
    }));
    url = `${await listenOnLoopback(app)}/webhooks/faceio`;
    handlers = app.get(RecordingHandlers);
  });
  afterAll(() => app.close());

  const send = (body: string) => {
    const signed = signFaceioRequest({ token: SECRETS.faceio, body });
    return fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
  };
  // A \u escape in the text makes the constructor-key walk run over the whole body.
  const items = JSON.stringify(new Array(500_000).fill(0));
  const fixture = JSON.stringify(faceioFixture('ENROLL', { facialId: 'long-array' })).slice(1, -1);

  it('a 500,000-item array with a \\u escape is handled (200)', async () => {
    const res = await send(`{${fixture},"payload":{"note":"\\u0041","items":${items}}}`);
    expect(res.status).toBe(200);
    const { data } = handlers.of('enroll')[0]! as FaceEventOf<'faceio.ENROLL'>;
    const payload = data.payload as { note: string; items: unknown[] };
    expect(payload.note).toBe('A');
    expect(payload.items).toHaveLength(500_000);
  });

  it('a constructor key before a 500,000-item array is refused (400)', async () => {
    const res = await send(`{${fixture},"payload":{"x":{"constructor":1},"items":${items},"n":"\\u0041"}}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('forbidden key (constructor)');
  });
});
