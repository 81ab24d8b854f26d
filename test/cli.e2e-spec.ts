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
import { cli, cliWithEnv } from './support/cli.js';
import { ADAPTERS, createTestApp, listenOnLoopback } from './support/create-app.js';
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
    base = `${await listenOnLoopback(app)}/webhooks`;
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
    let captured: Buffer[] = [];

    beforeAll(async () => {
      ({ server: capture, url: captureUrl, captured } = await startCapture());
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

/** A capture server: records each request exactly as it arrives (request line, headers, blank line, body). */
async function startCapture(): Promise<{ server: Server; url: string; captured: Buffer[] }> {
  const captured: Buffer[] = [];
  const server = createServer((req, res) => {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, captured };
}

describe('face-webhooks verify: secrets from the environment, and every reason at once', () => {
  const DOTENV = 'sample-app/.env.example';
  const DEV = parseEnv(readFileSync(DOTENV, 'utf8'));
  let capture: Awaited<ReturnType<typeof startCapture>>;
  let dir: string;

  beforeAll(async () => {
    capture = await startCapture();
    dir = mkdtempSync(join(tmpdir(), 'cli-verify-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => capture.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends `type` signed with the sample app's dev secrets to the capture server; the capture's file. */
  const captureDelivery = async (type: string): Promise<string> => {
    const provider = type.split('.')[0]!;
    const sent = await cli('--dotenv', DOTENV, 'send', type, '--url', `${capture.url}/webhooks/${provider}`);
    expect(sent.code).toBe(0);
    const file = join(dir, `${provider}-${capture.captured.length}.http`);
    writeFileSync(file, capture.captured.at(-1)!);
    return file;
  };
  const tamper = (file: string, from: string, to: string): string => {
    const text = readFileSync(file, 'latin1');
    expect(text).toContain(from);
    const tampered = `${file}.tampered`;
    writeFileSync(tampered, text.replace(from, to), 'latin1');
    return tampered;
  };
  const refusals = (stdout: string): string[] =>
    stdout.split('\n').filter((line) => line.startsWith('refused: '));
  const tenDaysLater = (): string => String(Math.floor(Date.now() / 1000) + 10 * 86_400);

  it('takes the secret from --dotenv, or from the environment, when no --secret is given', async () => {
    const facesign = await captureDelivery('facesign.media.user_photo');
    const faceio = await captureDelivery('faceio.ENROLL');
    for (const [provider, file] of [
      ['facesign', facesign],
      ['faceio', faceio],
    ] as const) {
      const fromFile = await cli('--dotenv', DOTENV, 'verify', '--provider', provider, '--request', file);
      expect(fromFile.stdout).toContain(`valid: the ${provider} module would accept this request`);
      expect(fromFile.code).toBe(0);
    }
    const fromEnvironment = await cliWithEnv(
      { FACESIGN_WEBHOOK_SECRET: DEV.FACESIGN_WEBHOOK_SECRET! },
      'verify',
      '--provider',
      'facesign',
      '--request',
      facesign,
    );
    expect(fromEnvironment.code).toBe(0);
    // The environment wins over the file, and the flag over both.
    const args = ['--dotenv', DOTENV, 'verify', '--provider', 'facesign', '--request', facesign];
    const wrongInEnvironment = await cliWithEnv({ FACESIGN_WEBHOOK_SECRET: 'whsec_wrong' }, ...args);
    expect(wrongInEnvironment.code).toBe(1);
    expect(wrongInEnvironment.stdout).toContain('no v1 signature matches a configured secret');
    const flag = await cliWithEnv(
      { FACESIGN_WEBHOOK_SECRET: 'whsec_wrong' },
      ...args,
      '--secret',
      DEV.FACESIGN_WEBHOOK_SECRET!,
    );
    expect(flag.code).toBe(0);
  }, 60_000);

  it('exits 2 naming the variable when the secret is nowhere', async () => {
    const sumsub = await captureDelivery('sumsub.applicantReviewed');
    const none = await cli('verify', '--provider', 'sumsub', '--request', sumsub);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'sumsub needs --secret (or SUMSUB_WEBHOOK_SECRET in the environment or the --dotenv file)',
    );
    const otherFile = join(dir, 'other.env');
    writeFileSync(otherFile, 'FACESIGN_WEBHOOK_SECRET=whsec_x\n');
    const notInFile = await cli('--dotenv', otherFile, 'verify', '--provider', 'faceio', '--request', sumsub);
    expect(notInFile.code).toBe(2);
    expect(notInFile.stderr).toContain('faceio needs --token (or FACEIO_WEBHOOK_TOKEN');
    expect(notInFile.stdout).toBe('');
  }, 30_000);

  // For each provider: a genuine capture is valid; the same with a field made invalid, checked with
  // a wrong secret ten days later, is refused for every reason at once. `authentication` lists the
  // lines expected before the body's (the secret, the time, and what hides behind the first failure).
  const everyReason: {
    type: string;
    wrongSecret: string;
    tamper: [string, string];
    authentication: string[];
    body: string;
  }[] = [
    {
      // FACEIO signs no time, and the module checks none: the token and the body only.
      type: 'faceio.AUTH',
      wrongSecret: 'wrong-token',
      tamper: ['"clientIp":"203.0.113.24"', '"clientIp":"nowhere"'],
      authentication: ['authentication: bearer token does not match'],
      body: 'body: clientIp must be an ip address',
    },
    {
      type: 'facesign.media.user_photo',
      wrongSecret: 'whsec_wrong',
      tamper: ['"type":"media.user_photo"', '"type":42'],
      authentication: [
        'authentication: signature timestamp is older than 300s',
        'authentication: as of the time it was signed: no v1 signature matches a configured secret',
      ],
      body: 'body: type must be a string',
    },
    {
      type: 'idaas.face.biometric.created',
      wrongSecret: 'wrong-idaas-secret',
      tamper: ['"type":"face.biometric.created"', '"type":7'],
      authentication: [
        'authentication: Content-Digest sha-256 does not match the body',
        'authentication: signature created is too old',
        'authentication: as of the time it was signed: signature does not match',
      ],
      body: 'body: type must be a string',
    },
    {
      type: 'stripe-identity.identity.verification_session.verified',
      wrongSecret: 'whsec_wrong',
      tamper: ['"livemode":false,"pending_webhooks"', '"livemode":"no","pending_webhooks"'],
      authentication: [
        'authentication: signature timestamp is older than 300s',
        'authentication: as of the time it was signed: no v1 signature matches a configured secret',
      ],
      body: 'body: livemode must be a boolean value',
    },
    {
      type: 'persona.inquiry.completed',
      wrongSecret: 'wbhsec_wrong',
      tamper: ['"type":"event"', '"type":7'],
      authentication: [
        'authentication: signature timestamp is older than 300s',
        'authentication: as of the time it was signed: no v1 signature matches a configured secret',
      ],
      body: 'body: data.type must be one of the following values: event',
    },
    {
      type: 'standard.contact.created',
      wrongSecret: 'whsec_d3Jvbmctc2VjcmV0',
      tamper: ['"type":"contact.created"', '"type":7'],
      authentication: [
        'authentication: webhook-timestamp is older than 300s',
        'authentication: as of the time it was signed: no v1 or v1a signature matches',
      ],
      body: 'body: type must be a string',
    },
    {
      // Onfido, Veriff and Sumsub sign no time: the event's own time is too old instead.
      type: 'onfido.check.completed',
      wrongSecret: 'wrong-onfido-token',
      tamper: ['"resource_type":"check"', '"resource_type":7'],
      authentication: [
        'authentication: no webhook token matches X-SHA2-Signature',
        'is older than maxEventAgeSeconds (604800)',
      ],
      body: 'body: payload.resource_type must be one of the following values: check',
    },
    {
      type: 'veriff.decision.approved',
      wrongSecret: 'wrong-veriff-secret',
      tamper: ['"code":9001', '"code":"x"'],
      authentication: [
        'authentication: no secret matches the signature',
        'authentication: verification.decisionTime is older than maxEventAgeSeconds',
      ],
      body: 'body: verification.code must be an integer number',
    },
    {
      type: 'sumsub.applicantReviewed',
      wrongSecret: 'wrong-sumsub-secret',
      tamper: ['"externalUserId":"user_4242"', '"externalUserId":4242'],
      authentication: [
        'authentication: no secret key matches X-Payload-Digest',
        'authentication: createdAtMs is older than maxEventAgeSeconds (172800)',
      ],
      body: 'body: externalUserId must be a string',
    },
  ];

  it.each(everyReason)(
    '$type: a wrong secret, a stale time and a bad body are all reported',
    async ({ type, wrongSecret, tamper: [from, to], authentication, body }) => {
      const provider = type.split('.')[0]!;
      const genuine = await captureDelivery(type);
      const url = `${capture.url}/webhooks/${provider}`; // what IDaaS signed
      const good = await cli(
        '--dotenv',
        DOTENV,
        'verify',
        '--provider',
        provider,
        '--request',
        genuine,
        '--url',
        url,
      );
      expect(good.stdout).toBe(`valid: the ${provider} module would accept this request\n`);
      expect(good.code).toBe(0);

      const bad = await cli(
        'verify',
        '--provider',
        provider,
        '--secret',
        wrongSecret,
        '--request',
        tamper(genuine, from, to),
        '--url',
        url,
        '--at',
        tenDaysLater(),
      );
      expect(bad.code).toBe(1);
      const lines = refusals(bad.stdout);
      for (const reason of [...authentication, body]) {
        expect(lines.some((line) => line.includes(reason))).toBe(true);
      }
      // Nothing else is blamed on authentication (the body may fail several rules of one field).
      expect(lines.filter((line) => line.includes('authentication'))).toHaveLength(authentication.length);
    },
    30_000,
  );

  it('reports one reason when only one applies, and what only changed the body', async () => {
    const facesign = await captureDelivery('facesign.session.status');
    const verify = (...args: string[]) =>
      cli('--dotenv', DOTENV, 'verify', '--provider', 'facesign', ...args).then((result) =>
        refusals(result.stdout),
      );
    const now = Math.floor(Date.now() / 1000);
    expect(await verify('--request', facesign, '--secret', 'whsec_wrong')).toEqual([
      'refused: authentication: no v1 signature matches a configured secret',
    ]);
    expect(await verify('--request', facesign, '--at', String(now + 3600))).toEqual([
      'refused: authentication: signature timestamp is older than 300s',
    ]);
    expect(await verify('--request', facesign, '--at', String(now - 3600))).toEqual([
      'refused: authentication: signature timestamp is newer than 300s',
    ]);
    // FaceSign signs the body itself: a changed body no longer matches the signature.
    expect(await verify('--request', tamper(facesign, '"type":"session.status"', '"type":42'))).toEqual([
      'refused: authentication: no v1 signature matches a configured secret',
      'refused: body: type must be a dotted lower-case event type',
      'refused: body: type must be a string',
    ]);

    // IDaaS signs a digest of the body: a changed body fails the digest, and the signature holds.
    const idaas = await captureDelivery('idaas.user.deleted');
    const url = `${capture.url}/webhooks/idaas`;
    const idaasVerify = (...args: string[]) =>
      cli('--dotenv', DOTENV, 'verify', '--provider', 'idaas', ...args).then((result) =>
        refusals(result.stdout),
      );
    expect(await idaasVerify('--request', tamper(idaas, '"john"', '"mallory"'), '--url', url)).toEqual([
      'refused: authentication: Content-Digest sha-256 does not match the body',
    ]);
    // Checked against another URL than the one it was signed for: the one it was signed for.
    expect(await idaasVerify('--request', idaas)).toEqual([
      `refused: authentication: signature does not match (rebuilt @target-uri https://${new URL(url).host}/webhooks/idaas)`,
      `refused: authentication: the sender signed the URL ${url}, not https://${new URL(url).host}/webhooks/idaas: give it as --url`,
    ]);
  }, 60_000);
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
    base = `${await listenOnLoopback(app)}/webhooks`;
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
