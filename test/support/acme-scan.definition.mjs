// A provider written by an app, in plain JavaScript, with the library's public API only: what the
// custom-provider suite receives on both adapters, and what the CLI loads with --providers.
// "Acme Scan" signs `${timestamp}.${body}` with HMAC-SHA256: `Acme-Signature: t=<unix>,v1=<hex>`.
import { createHmac } from 'node:crypto';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsNumber, IsObject, IsString, Max, Min, ValidateNested } from 'class-validator';
import {
  asList,
  bytesEqual,
  checkSecrets,
  checkToleranceSeconds,
  defineFaceWebhookProvider,
} from 'nestjs-face-webhooks';

const decorate = (target, key, ...decorators) => {
  for (const decorator of decorators) decorator(target.prototype, key);
};

export class AcmeScanResult {}
decorate(AcmeScanResult, 'subject', IsString(), IsNotEmpty());
decorate(AcmeScanResult, 'similarity', IsNumber(), Min(0), Max(1));

export class AcmeScanEvent {}
decorate(AcmeScanEvent, 'id', IsString(), IsNotEmpty());
decorate(AcmeScanEvent, 'kind', IsIn(['scan.completed', 'scan.rejected']));
decorate(
  AcmeScanEvent,
  'result',
  IsObject(),
  ValidateNested(),
  Type(() => AcmeScanResult),
);

export const ACME_TYPES = ['scan.completed', 'scan.rejected'];

export function acmeSignature(secret, timestamp, body) {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signAcme(secret, body, timestamp = Math.floor(Date.now() / 1000)) {
  return {
    headers: {
      'content-type': 'application/json',
      'acme-signature': `t=${timestamp},v1=${acmeSignature(secret, timestamp, body)}`,
    },
    body,
  };
}

let sequence = 0;

export const acmeScanProvider = defineFaceWebhookProvider({
  name: 'acme-scan',
  title: 'Acme Scan',
  validateOptions: (options, required) => [
    ...checkSecrets('acme-scan.secret', asList(options.secret), 'the Acme console', required),
    ...checkToleranceSeconds('acme-scan.toleranceSeconds', options.toleranceSeconds),
  ],
  hasCredentials: (options) => asList(options.secret).length > 0,
  tenantSettings: ['secret'],
  tenantOnlySettings: ['secret'],
  create(options) {
    const secrets = asList(options.secret);
    const toleranceMs = (options.toleranceSeconds ?? 300) * 1000;
    return {
      dto: AcmeScanEvent,
      knownTypes: new Set(ACME_TYPES),
      deduplicationTtlMs: 24 * 3600 * 1000,
      authenticate(request) {
        const header = request.headers['acme-signature'];
        if (header === undefined)
          return { ok: false, reason: 'no Acme-Signature', code: 'missing_credentials' };
        const match = typeof header === 'string' ? /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header) : null;
        if (!match) return { ok: false, reason: 'Acme-Signature unreadable', code: 'malformed_credentials' };
        const signedAtMs = Number(match[1]) * 1000;
        if (Math.abs(Date.now() - signedAtMs) > toleranceMs) {
          return { ok: false, reason: 't outside the window', code: 'timestamp_outside_window' };
        }
        const given = Buffer.from(match[2]);
        let ok = false;
        for (const secret of secrets) {
          ok = bytesEqual(given, Buffer.from(acmeSignature(secret, match[1], request.rawBody))) || ok;
        }
        return ok
          ? { ok: true, freshUntilMs: signedAtMs + toleranceMs }
          : { ok: false, reason: 'no secret matches', code: 'signature_mismatch' };
      },
      describe: (data) => ({ type: data.kind, id: data.id }),
    };
  },
  openApi: {
    headers: [{ name: 'Acme-Signature', description: 'Acme Scan: `t=<unix>,v1=<hex HMAC-SHA256>`' }],
    bodySchema: { title: 'Acme Scan event', type: 'object', required: ['id', 'kind', 'result'] },
  },
  testing: {
    testSecret: 'test-acme-secret',
    secretEnv: 'ACME_SCAN_SECRET',
    types: ACME_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({
      id: `scan_${process.pid}_${Date.now()}_${sequence++}`,
      kind: type,
      result: { subject: 'user-1', similarity: 0.93 },
    }),
    sign: (secret, _url, body) => signAcme(secret, body),
  },
});
