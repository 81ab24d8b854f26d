import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import {
  FaceWebhooksModule,
  FACEIO_EVENT_NAMES,
  FACESIGN_EVENT_TYPES,
  IDAAS_EVENT_TYPES,
  PERSONA_EVENT_TYPES,
  STRIPE_IDENTITY_EVENT_TYPES,
  ONFIDO_EVENT_TYPES,
  VERIFF_EVENT_TYPES,
  SUMSUB_EVENT_TYPES,
} from 'nestjs-face-webhooks';
import { cli } from './support/cli.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

const SECRETS = {
  faceio: 'cli-token',
  facesign: 'whsec_cli',
  idaas: 'cli-idaas-secret',
  veriff: 'cli-veriff-secret',
  sumsub: 'cli-sumsub-secret',
};

describe.each(ADAPTERS)('face-webhooks CLI (%s)', (adapter) => {
  let app: INestApplication;
  let base: string;
  let handlers: RecordingHandlers;
  let dir: string;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: SECRETS.faceio },
          facesign: { secret: SECRETS.facesign },
          idaas: { secret: SECRETS.idaas },
          veriff: { secret: SECRETS.veriff },
          sumsub: { secret: SECRETS.sumsub },
        }),
      ],
      providers: [RecordingHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/webhooks`;
    handlers = app.get(RecordingHandlers);
    dir = mkdtempSync(join(tmpdir(), 'cli-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => handlers.reset());

  it('lists every event type of every provider', async () => {
    const { code, stdout } = await cli('list');
    expect(code).toBe(0);
    for (const type of FACEIO_EVENT_NAMES) expect(stdout).toContain(`faceio.${type}`);
    for (const type of FACESIGN_EVENT_TYPES) expect(stdout).toContain(`facesign.${type}`);
    for (const type of IDAAS_EVENT_TYPES) expect(stdout).toContain(`idaas.${type}`);
    for (const type of STRIPE_IDENTITY_EVENT_TYPES) expect(stdout).toContain(`stripe-identity.${type}`);
    for (const type of PERSONA_EVENT_TYPES) expect(stdout).toContain(`persona.${type}`);
    // Standard Webhooks senders define their own types: the CLI shows the two its fixtures build.
    expect(stdout).toContain('standard: Standard Webhooks (--secret, or STANDARD_WEBHOOK_SECRET)');
    for (const type of ONFIDO_EVENT_TYPES) expect(stdout).toContain(`onfido.${type}`);
    for (const type of VERIFF_EVENT_TYPES) expect(stdout).toContain(`veriff.${type}`);
    for (const type of SUMSUB_EVENT_TYPES) expect(stdout).toContain(`sumsub.${type}`);
  });

  it.each([
    ['faceio.ENROLL', ['--token', SECRETS.faceio, '--set', 'facialId=cli-face', 'details.age=41']],
    ['facesign.media.user_photo', ['--secret', SECRETS.facesign]],
    [
      'idaas.face.biometric.created',
      ['--secret', SECRETS.idaas, '--set', 'data.entityAttributes.userId=bob'],
    ],
    ['veriff.decision.approved', ['--secret', SECRETS.veriff, '--set', 'verification.vendorData=bob']],
    ['veriff.event.submitted', ['--secret', SECRETS.veriff]],
    ['sumsub.applicantReviewed', ['--secret', SECRETS.sumsub, '--set', 'externalUserId=bob']],
  ])('sends a signed %s that the module accepts, printing status, latency and body', async (type, flags) => {
    const provider = type.split('.')[0]!;
    const { code, stdout } = await cli('send', type, '--url', `${base}/${provider}`, ...flags);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`${type.replace(/\./g, '\\.')} -> POST .*: 200 OK in \\d+(\\.\\d+)? ms`),
    );
    expect(stdout).toContain('{"received":true}');
    expect(handlers.of('**').map((event) => event.type)).toEqual([type]);
  });

  it('applies --set to the body', async () => {
    await cli(
      'send',
      'faceio.ENROLL',
      '--url',
      `${base}/faceio`,
      '--token',
      SECRETS.faceio,
      '--set',
      'facialId=cli-set-1',
      'details.age=41',
    );
    expect(handlers.of('enroll')[0]!.data).toMatchObject({ facialId: 'cli-set-1', details: { age: '41' } });
  });

  it('re-sends the same delivery with --duplicate and --repeat', async () => {
    const duplicate = await cli(
      'send',
      'facesign.session.status',
      '--url',
      `${base}/facesign`,
      '--secret',
      SECRETS.facesign,
      '--duplicate',
    );
    expect(duplicate.code).toBe(0);
    expect(duplicate.stdout).toContain('{"received":true,"duplicate":true}');
    const repeat = await cli(
      'send',
      'faceio.AUTH',
      '--url',
      `${base}/faceio`,
      '--token',
      SECRETS.faceio,
      '--repeat',
      '3',
    );
    expect(repeat.stdout.match(/200 OK/g)).toHaveLength(3);
    expect(handlers.of('auth')).toHaveLength(1);
  });

  it('exits 1 and shows the 401 when the secret is wrong', async () => {
    const { code, stdout } = await cli(
      'send',
      'idaas.user.created',
      '--url',
      `${base}/idaas`,
      '--secret',
      'wrong',
    );
    expect(code).toBe(1);
    expect(stdout).toContain('401 Unauthorized');
    expect(handlers.calls).toHaveLength(0);
  });

  it.each([
    ['an unknown type', ['send', 'faceio.SMILE', '--token', 'x'], /unknown event type "faceio.SMILE"/],
    [
      'a missing secret',
      ['send', 'facesign.session.status', '--url', 'http://127.0.0.1:9/x'],
      /needs --secret \(or FACESIGN_WEBHOOK_SECRET/,
    ],
    [
      'a bad --repeat',
      ['send', 'faceio.AUTH', '--token', 'x', '--repeat', '0'],
      /not a positive whole number/,
    ],
    [
      'a malformed --set',
      ['send', 'faceio.AUTH', '--token', 'x', '--set', 'nothing'],
      /--set takes path=value/,
    ],
    ['an unknown command', ['trigger'], /unknown command/],
  ])('exits 2 with a clear message on %s', async (_name, args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 3 when the URL cannot be reached', async () => {
    const { code, stderr } = await cli(
      'send',
      'faceio.AUTH',
      '--token',
      'x',
      '--url',
      'http://127.0.0.1:1/webhooks/faceio',
    );
    expect(code).toBe(3);
    expect(stderr).toMatch(/could not reach http:\/\/127\.0\.0\.1:1\/webhooks\/faceio/);
  });

  describe('verify', () => {
    let capture: Server;
    let captureUrl: string;
    const captured: Buffer[] = [];

    beforeAll(async () => {
      // Captures requests exactly as they arrive: request line, headers, blank line, body.
      capture = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const head = [`${req.method} ${req.url} HTTP/1.1`];
          for (let i = 0; i < req.rawHeaders.length; i += 2)
            head.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
          captured.push(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), ...chunks]));
          res.end('{"received":true}');
        });
      });
      await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
      captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => capture.close(resolve)));

    const captureDelivery = async (type: string, flags: string[]): Promise<string> => {
      const provider = type.split('.')[0]!;
      expect((await cli('send', type, '--url', `${captureUrl}/webhooks/${provider}`, ...flags)).code).toBe(0);
      const file = join(dir, `${provider}-${captured.length}.http`);
      writeFileSync(file, captured.at(-1)!);
      return file;
    };
    const tamper = (file: string, from: string, to: string): string => {
      const tampered = `${file}.tampered`;
      writeFileSync(tampered, readFileSync(file, 'latin1').replace(from, to), 'latin1');
      return tampered;
    };

    it('accepts good captured requests of every provider', async () => {
      const faceio = await captureDelivery('faceio.ENROLL', ['--token', SECRETS.faceio]);
      const facesign = await captureDelivery('facesign.media.user_video', ['--secret', SECRETS.facesign]);
      const idaas = await captureDelivery('idaas.face.biometric.created', ['--secret', SECRETS.idaas]);
      for (const [provider, file, secret, extra] of [
        ['faceio', faceio, SECRETS.faceio, []],
        ['facesign', facesign, SECRETS.facesign, []],
        ['idaas', idaas, SECRETS.idaas, ['--url', `${captureUrl}/webhooks/idaas`]],
      ] as const) {
        const result = await cli(
          'verify',
          '--provider',
          provider,
          '--secret',
          secret,
          '--request',
          file,
          ...extra,
        );
        expect(result.stdout).toContain(`valid: the ${provider} module would accept this request`);
        expect(result.code).toBe(0);
      }
    });

    it('accepts a good Sumsub capture, and says why a changed or SHA-1 one fails', async () => {
      const sumsub = await captureDelivery('sumsub.applicantReviewed', ['--secret', SECRETS.sumsub]);
      const verify = (file: string) =>
        cli('verify', '--provider', 'sumsub', '--secret', SECRETS.sumsub, '--request', file);
      const good = await verify(sumsub);
      expect(good.stdout).toContain('valid: the sumsub module would accept this request');
      expect(good.code).toBe(0);
      const changed = await verify(tamper(sumsub, '"GREEN"', '"RED"'));
      expect(changed.code).toBe(1);
      expect(changed.stdout).toContain('refused: authentication: no secret key matches X-Payload-Digest');
      const sha1 = await verify(tamper(sumsub, 'HMAC_SHA256_HEX', 'HMAC_SHA1_HEX'));
      expect(sha1.code).toBe(1);
      expect(sha1.stdout).toContain(
        'refused: authentication: HMAC_SHA1_HEX digest while sumsub.allowSha1 is off',
      );
    }, 60_000); // four CLI runs

    it('says exactly why a tampered or mis-checked request fails', async () => {
      const idaas = await captureDelivery('idaas.face.biometric.created', ['--secret', SECRETS.idaas]);
      const url = `${captureUrl}/webhooks/idaas`;
      const bodyChanged = await cli(
        'verify',
        '--provider',
        'idaas',
        '--secret',
        SECRETS.idaas,
        '--url',
        url,
        '--request',
        tamper(idaas, '"john"', '"mallory"'),
      );
      expect(bodyChanged.code).toBe(1);
      expect(bodyChanged.stdout).toContain(
        'refused: authentication: Content-Digest sha-256 does not match the body',
      );

      const wrongUrl = await cli(
        'verify',
        '--provider',
        'idaas',
        '--secret',
        SECRETS.idaas,
        '--url',
        'https://elsewhere.example.com/webhooks/idaas',
        '--request',
        idaas,
      );
      expect(wrongUrl.stdout).toContain(
        'signature does not match (rebuilt @target-uri https://elsewhere.example.com/webhooks/idaas)',
      );

      const wrongSecret = await cli(
        'verify',
        '--provider',
        'idaas',
        '--secret',
        'nope',
        '--url',
        url,
        '--request',
        idaas,
      );
      expect(wrongSecret.stdout).toContain('refused: authentication: signature does not match');

      const facesign = await captureDelivery('facesign.session.status', ['--secret', SECRETS.facesign]);
      const late = await cli(
        'verify',
        '--provider',
        'facesign',
        '--secret',
        SECRETS.facesign,
        '--request',
        facesign,
        '--at',
        String(Math.floor(Date.now() / 1000) + 3600),
      );
      expect(late.stdout).toContain('signature timestamp is older than 300s');

      const faceio = await captureDelivery('faceio.AUTH', ['--token', SECRETS.faceio]);
      const badBody = await cli(
        'verify',
        '--provider',
        'faceio',
        '--secret',
        SECRETS.faceio,
        '--request',
        tamper(faceio, '"clientIp":"203.0.113.24"', '"clientIp":"nowhere"'),
      );
      expect(badBody.stdout).toContain('refused: body: clientIp must be an ip address');
    }, 60_000); // six CLI processes, one after another

    it('verifies a captured Veriff request, and says why a tampered one fails', async () => {
      const veriff = await captureDelivery('veriff.decision.declined', ['--secret', SECRETS.veriff]);
      const args = ['verify', '--provider', 'veriff', '--secret', SECRETS.veriff, '--request'];
      const good = await cli(...args, veriff);
      expect(good.stdout).toContain('valid: the veriff module would accept this request');
      expect(good.code).toBe(0);
      const forged = await cli(...args, tamper(veriff, '"declined"', '"approved"'));
      expect(forged.code).toBe(1);
      expect(forged.stdout).toContain('refused: authentication: no secret matches the signature');
      // Veriff signs no time: the decision's own time is checked, as the module checks it.
      const eightDaysLater = String(Math.floor(Date.now() / 1000) + 8 * 86_400);
      const late = await cli(...args, veriff, '--at', eightDaysLater);
      expect(late.code).toBe(1);
      expect(late.stdout).toContain('maxEventAgeSeconds');
    }, 60_000);
  });
});

/** `npx face-webhooks ...` exactly as the README writes it, from the repository root. */
function npx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['--no-install', 'face-webhooks', ...args],
      { env: { PATH: process.env.PATH } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('the README CLI examples, run with npx inside the repository against the dev secrets', () => {
  let app: INestApplication;
  let base: string;
  let handlers: RecordingHandlers;

  beforeAll(async () => {
    // The sample app's secrets: what `npm start` runs with on a fresh clone.
    const dev = parseEnv(readFileSync('sample-app/.env.example', 'utf8'));
    ({ app } = await createTestApp({
      adapter: 'express',
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: dev.FACEIO_WEBHOOK_TOKEN! },
          facesign: { secret: dev.FACESIGN_WEBHOOK_SECRET! },
          idaas: { secret: dev.IDAAS_WEBHOOK_SECRET! },
        }),
      ],
      providers: [RecordingHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/webhooks`;
    handlers = app.get(RecordingHandlers);
  });
  afterAll(() => app.close());

  it('npx face-webhooks list', async () => {
    const { code, stdout } = await npx('list');
    expect(code).toBe(0);
    expect(stdout).toContain('faceio.ENROLL');
  });

  it('npx face-webhooks --dotenv sample-app/.env.example send ... for each provider', async () => {
    const env = ['--dotenv', 'sample-app/.env.example'];
    const faceio = await npx(
      ...env,
      'send',
      'faceio.ENROLL',
      '--url',
      `${base}/faceio`,
      '--set',
      'facialId=f1',
      'details.age=41',
    );
    expect(faceio.stdout).toContain('200 OK');
    expect(faceio.code).toBe(0);
    const facesign = await npx(...env, 'send', 'facesign.session.status', '--url', `${base}/facesign`);
    expect(facesign.code).toBe(0);
    const idaas = await npx(
      ...env,
      'send',
      'idaas.face.biometric.created',
      '--url',
      `${base}/idaas`,
      '--duplicate',
    );
    expect(idaas.stdout).toContain('"duplicate":true');
    expect(handlers.of('enroll')[0]!.data).toMatchObject({ facialId: 'f1', details: { age: '41' } });
  });

  it('says which file it could not read', async () => {
    const { code, stderr } = await npx('--dotenv', 'no/such/.env', 'send', 'faceio.ENROLL');
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read --dotenv no/such/.env');
  });
});
