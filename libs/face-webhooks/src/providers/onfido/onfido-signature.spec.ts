import { createHmac } from 'node:crypto';
import { OnfidoInvalidSignatureError, WebhookEventVerifier } from '@onfido/api';
import { computeOnfidoSignature, verifyOnfidoRequest } from './onfido-signature.js';
import { signOnfidoRequest } from './onfido.signer.js';

/*
 * Onfido's own vectors: onfido/onfido-node test/classic-webhook-event-verifier.test.ts and
 * test/studio-webhook-event-verifier.test.ts (token, raw body and X-SHA2-Signature as published).
 */
const CLASSIC = {
  token: '_ABC123abc123ABC123abc123ABC123_',
  body: '{"payload":{"resource_type":"check","action":"check.completed","object":{"id":"check-123","status":"complete","completed_at_iso8601":"2020-01-01T00:00:00Z","href":"https://api.onfido.com/v3/checks/check-123"}}}',
  signature: 'a0082d7481f9f0a2907583dbe1f344d6d4c0d9989df2fd804f98479f60cd760e',
};
const STUDIO = {
  token: 'YKOC6mkBxi6yK2zlUIrLMvsJMFEZObP5',
  body: '{"payload":{"resource_type":"workflow_task","action":"workflow_task.started","object":{"id":"profile_1eb92","task_spec_id":"profile_1eb92","task_def_id":"profile_data","workflow_run_id":"bc77c6e5-753a-4580-96a6-aaed3e5a8d19","status":"started","started_at_iso8601":"2024-07-10T12:49:09Z","href":"https://api.eu.onfido.com/v3.6/workflow_runs/bc77c6e5-753a-4580-96a6-aaed3e5a8d19/tasks/profile_1eb92"},"resource":{"created_at":"2024-07-10T12:49:09Z","id":"profile_1eb92","workflow_run_id":"bc77c6e5-753a-4580-96a6-aaed3e5a8d19","updated_at":"2024-07-10T12:49:09Z","input":{},"task_def_version":null,"task_def_id":"profile_data","output":null}}}',
  signature: 'c95a5b785484f6fa1bc25f381b5595d66bf85cb442eefb06aa007802ee6a4dfa',
};

const TOKEN = 'onfido_test_webhook_token';
const BODY = CLASSIC.body;
const verify = (headers: Record<string, string | string[]>, body: string | Buffer = BODY, tokens = [TOKEN]) =>
  verifyOnfidoRequest(headers, Buffer.isBuffer(body) ? body : Buffer.from(body), tokens);
const hex = (token: string, body = BODY) => computeOnfidoSignature(token, body).toString('hex');

describe('Onfido signatures', () => {
  it.each([
    ['classic (check.completed)', CLASSIC],
    ['Studio (workflow_task.started)', STUDIO],
  ])("verify Onfido's published %s vector", (_name, vector) => {
    expect(hex(vector.token, vector.body)).toBe(vector.signature);
    expect(verify({ 'x-sha2-signature': vector.signature }, vector.body, [vector.token])).toEqual({
      ok: true,
    });
    expect(
      verify({ 'x-sha2-signature': vector.signature.toUpperCase() }, vector.body, [vector.token]),
    ).toEqual({ ok: true });
    expect(verify({ 'x-sha2-signature': vector.signature }, vector.body, [TOKEN]).ok).toBe(false);
  });

  describe("against Onfido's Node library (@onfido/api 6.2.0, WebhookEventVerifier)", () => {
    it('reads the payload of a delivery our signer signed', () => {
      const signed = signOnfidoRequest({ secret: TOKEN, body: STUDIO.body });
      const payload = new WebhookEventVerifier(TOKEN).readPayload(
        signed.body,
        signed.headers['x-sha2-signature']!,
      );
      expect(payload).toEqual(JSON.parse(STUDIO.body));
      expect(() =>
        new WebhookEventVerifier('another_token').readPayload(
          signed.body,
          signed.headers['x-sha2-signature']!,
        ),
      ).toThrow(OnfidoInvalidSignatureError);
    });

    it('agrees with it on every delivery: what it accepts we accept, what it refuses we refuse', () => {
      const body = Buffer.from('{"payload":{"resource_type":"report","action":"report.completed","é":"ü"}}');
      const good = createHmac('sha256', TOKEN).update(body).digest('hex');
      const cases = [
        good,
        hex('another_token', body.toString()),
        good.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      ];
      for (const signature of cases) {
        let theirs: boolean;
        try {
          new WebhookEventVerifier(TOKEN).readPayload(body, signature);
          theirs = true;
        } catch (error) {
          expect(error).toBeInstanceOf(OnfidoInvalidSignatureError);
          theirs = false;
        }
        expect(verify({ 'x-sha2-signature': signature }, body).ok).toBe(theirs);
      }
      expect(verify({ 'x-sha2-signature': good }, body)).toEqual({ ok: true });
    });

    it('is stricter on a malformed header, which it reads loosely or throws on', () => {
      const good = hex(TOKEN);
      // Buffer.from(hex, 'hex') stops at the first non-hex pair: the library accepts trailing junk.
      expect(() => new WebhookEventVerifier(TOKEN).readPayload(BODY, `${good}zz`)).not.toThrow();
      expect(verify({ 'x-sha2-signature': `${good}zz` })).toMatchObject({
        ok: false,
        code: 'malformed_credentials',
      });
      expect(() => new WebhookEventVerifier(TOKEN).readPayload(BODY, good.slice(0, 32))).toThrow(
        'Input buffers must have the same byte length',
      );
      expect(verify({ 'x-sha2-signature': good.slice(0, 32) })).toMatchObject({
        ok: false,
        code: 'malformed_credentials',
      });
    });
  });

  it('signs as the docs describe: hex HMAC-SHA256 of the raw body, keyed with the token', () => {
    const signed = signOnfidoRequest({ secret: CLASSIC.token, body: CLASSIC.body });
    expect(signed.headers['x-sha2-signature']).toBe(CLASSIC.signature);
    expect(signed.body).toBe(CLASSIC.body);
    expect(signOnfidoRequest({ secret: TOKEN, body: { a: 1 } }).body).toBe('{"a":1}');
  });

  it('accepts any configured token (rotation), trying each', () => {
    expect(verify({ 'x-sha2-signature': hex('new_token') }, BODY, [TOKEN, 'new_token'])).toEqual({
      ok: true,
    });
    expect(verify({ 'x-sha2-signature': hex(TOKEN) }, BODY, ['new_token', TOKEN])).toEqual({ ok: true });
    expect(verify({ 'x-sha2-signature': hex('old_token') }, BODY, [TOKEN, 'new_token']).ok).toBe(false);
  });

  it.each([
    ['a wrong token', () => hex('attacker_token'), 'signature_mismatch'],
    ['the token in another case', () => hex(TOKEN.toUpperCase()), 'signature_mismatch'],
    ['a signature of another body', () => hex(TOKEN, `${BODY} `), 'signature_mismatch'],
    ['an empty header', () => '', 'malformed_credentials'],
    ['blanks', () => ' '.repeat(64), 'malformed_credentials'],
    ['blanks around it', () => ` ${hex(TOKEN)} `, 'malformed_credentials'],
    ['non-hex digits', () => 'g'.repeat(64), 'malformed_credentials'],
    ['a short signature', () => hex(TOKEN).slice(0, 62), 'malformed_credentials'],
    ['a long signature', () => `${hex(TOKEN)}00`, 'malformed_credentials'],
    ['a SHA-1 length signature', () => hex(TOKEN).slice(0, 40), 'malformed_credentials'],
    ['a sha256= prefix', () => `sha256=${hex(TOKEN)}`, 'malformed_credentials'],
    ['base64', () => computeOnfidoSignature(TOKEN, BODY).toString('base64'), 'malformed_credentials'],
    ['two headers joined by Node', () => `${hex(TOKEN)}, ${hex(TOKEN)}`, 'malformed_credentials'],
  ])('refuses %s', (_name, header, code) => {
    expect(verify({ 'x-sha2-signature': header() })).toMatchObject({ ok: false, code });
  });

  it('refuses a missing or repeated header', () => {
    expect(verify({})).toMatchObject({ ok: false, code: 'missing_credentials' });
    expect(verify({ 'x-sha2-signature': [hex(TOKEN), hex(TOKEN)] })).toMatchObject({
      ok: false,
      code: 'malformed_credentials',
    });
  });

  it('refuses a tampered or re-serialised body', () => {
    const headers = { 'x-sha2-signature': hex(TOKEN) };
    expect(verify(headers, BODY.replace('check-123', 'check-124')).ok).toBe(false);
    expect(verify(headers, JSON.stringify(JSON.parse(BODY), null, 2)).ok).toBe(false);
    expect(verify(headers, Buffer.alloc(0)).ok).toBe(false);
  });

  it('refuses everything when no token is configured', () => {
    expect(verify({ 'x-sha2-signature': hex(TOKEN) }, BODY, [])).toMatchObject({
      ok: false,
      code: 'signature_mismatch',
    });
  });
});
