import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { decodeBase64, decodePublicKey, decodeSecret } from './standard-keys.js';
import {
  computeStandardV1,
  parseStandardSignatures,
  signedContent,
  verifyStandardRequest,
} from './standard-signature.js';
import { signStandardWebhookRequest } from './standard.signer.js';

// The official vector: standard-webhooks/standard-webhooks libraries/javascript/src/webhook.test.ts,
// test "sign function works" (the same values in the Python library's test_sign_function).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
// The known-bad signature of the same test file's "multi sig" test.
const UPSTREAM_BAD = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';

// The only published v1a vector: the Go library's TestAsymmetricWebhookSign, in the open pull
// request standard-webhooks/standard-webhooks#253 (libraries/go/webhook_asymmetric_test.go): the
// Ed25519 seed, as base64, and the expected signature of the same id, timestamp and payload.
const V1A_VECTOR = {
  seed: 'VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=',
  signature: 'v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==',
  // Its public key, derived from the seed (RFC 8032), as the spec serialises it.
  publicKey: 'whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g=',
};

const NOW = 1_761_595_700;
const BODY = '{"type":"invoice.paid","timestamp":"2026-10-27T20:08:20Z","data":{"id":"in_1"}}';
const SECRET = 'whsec_dGVzdC1zdGFuZGFyZC13ZWJob29rcy1zZWNyZXQtMzI=';

function ed25519Pair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const d = privateKey.export({ format: 'jwk' }).d!;
  const x = publicKey.export({ format: 'jwk' }).x!;
  return {
    privateKey: `whsk_${Buffer.from(d, 'base64url').toString('base64')}`,
    publicKey: `whpk_${Buffer.from(x, 'base64url').toString('base64')}`,
  };
}

const verification = (
  keys: { secrets?: string[]; publicKeys?: string[] } = { secrets: [SECRET] },
  toleranceSeconds = 300,
) => ({
  secrets: (keys.secrets ?? []).map((secret) => decodeSecret(secret)!),
  publicKeys: (keys.publicKeys ?? []).map((key) => decodePublicKey(key)!),
  toleranceSeconds,
});

function headersFor(signature: string, id = 'msg_1', timestamp: number | string = NOW) {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

const v1 = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${computeStandardV1(decodeSecret(secret)!, signedContent(id, String(timestamp), body)).toString('base64')}`;

describe('Standard Webhooks signatures', () => {
  const realNow = Date.now;
  /** Sets the clock the check reads (Date.now) to `seconds`; `undefined` gives the real clock back. */
  const at = (seconds?: number) => {
    Date.now = seconds === undefined ? realNow : () => seconds * 1000;
  };
  beforeEach(() => at(NOW));
  afterEach(() => at(undefined));

  const verify = (
    headers: Record<string, string | string[]>,
    body = BODY,
    keys?: { secrets?: string[]; publicKeys?: string[] },
  ) => verifyStandardRequest(headers, Buffer.from(body), verification(keys));

  describe('the official test vector', () => {
    it('computes its v1 signature, with and without the whsec_ prefix', () => {
      const content = signedContent(VECTOR.id, String(VECTOR.timestamp), VECTOR.payload);
      for (const secret of [VECTOR.secret, VECTOR.secret.slice('whsec_'.length)]) {
        expect(`v1,${computeStandardV1(decodeSecret(secret)!, content).toString('base64')}`).toBe(
          VECTOR.signature,
        );
      }
      // The key is the base64 decoded (24 bytes), not the text.
      expect(decodeSecret(VECTOR.secret)).toHaveLength(24);
    });

    it('verifies it at its time, and refuses it 5 min + 1 s later or earlier', () => {
      at(VECTOR.timestamp);
      const headers = headersFor(VECTOR.signature, VECTOR.id, VECTOR.timestamp);
      const keys = { secrets: [VECTOR.secret] };
      expect(verify(headers, VECTOR.payload, keys)).toEqual({
        ok: true,
        freshUntilMs: (VECTOR.timestamp + 300) * 1000,
        eventId: VECTOR.id,
      });
      at(VECTOR.timestamp + 301);
      expect(verify(headers, VECTOR.payload, keys)).toMatchObject({ code: 'timestamp_outside_window' });
      at(VECTOR.timestamp - 301);
      expect(verify(headers, VECTOR.payload, keys)).toMatchObject({ code: 'timestamp_outside_window' });
    });

    it("passes with the upstream tests' known-bad signature listed too, and fails with it alone", () => {
      at(VECTOR.timestamp);
      const keys = { secrets: [VECTOR.secret] };
      const both = headersFor(`${UPSTREAM_BAD} ${VECTOR.signature}`, VECTOR.id, VECTOR.timestamp);
      expect(verify(both, VECTOR.payload, keys)).toMatchObject({ ok: true });
      const bad = headersFor(UPSTREAM_BAD, VECTOR.id, VECTOR.timestamp);
      expect(verify(bad, VECTOR.payload, keys)).toMatchObject({ code: 'signature_mismatch' });
    });
  });

  describe('v1a (Ed25519)', () => {
    it("matches the Go library's published vector: our signer makes it, our check accepts it", () => {
      const signed = signStandardWebhookRequest({
        privateKey: `whsk_${V1A_VECTOR.seed}`,
        id: VECTOR.id,
        timestamp: VECTOR.timestamp,
        body: VECTOR.payload,
      });
      expect(signed.headers['webhook-signature']).toBe(V1A_VECTOR.signature);
      at(VECTOR.timestamp);
      const headers = headersFor(V1A_VECTOR.signature, VECTOR.id, VECTOR.timestamp);
      expect(verify(headers, VECTOR.payload, { publicKeys: [V1A_VECTOR.publicKey] })).toMatchObject({
        ok: true,
        eventId: VECTOR.id,
      });
      // Tampered payload, or the right signature under another key: refused.
      expect(
        verify(headers, VECTOR.payload.replace('2', '3'), { publicKeys: [V1A_VECTOR.publicKey] }),
      ).toMatchObject({ code: 'signature_mismatch' });
      expect(verify(headers, VECTOR.payload, { publicKeys: [ed25519Pair().publicKey] })).toMatchObject({
        code: 'signature_mismatch',
      });
    });

    it('verifies a signature made with node:crypto as the spec describes, under any configured key', () => {
      const other = ed25519Pair();
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
      const signature = sign(null, Buffer.from(`${id}.${NOW}.${BODY}`), privateKey).toString('base64');
      const whpk = `whpk_${Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64')}`;
      expect(whpk).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
      const headers = headersFor(`v1a,${signature}`, id);
      expect(verify(headers, BODY, { publicKeys: [other.publicKey, whpk] })).toMatchObject({ ok: true });
      expect(verify(headers, BODY, { publicKeys: [other.publicKey] })).toMatchObject({
        code: 'signature_mismatch',
      });
    });

    it('accepts a header mixing v1 and v1a, whichever kind of key is configured', () => {
      const sender = ed25519Pair();
      const signed = signStandardWebhookRequest({
        secret: SECRET,
        privateKey: sender.privateKey,
        id: 'msg_mixed',
        timestamp: NOW,
        body: BODY,
      });
      expect(signed.headers['webhook-signature']).toMatch(/^v1,\S+ v1a,\S+$/);
      expect(verify(signed.headers)).toMatchObject({ ok: true });
      expect(verify(signed.headers, BODY, { publicKeys: [sender.publicKey] })).toMatchObject({ ok: true });
      expect(verify(signed.headers, BODY, { secrets: ['whsec_b3RoZXI='] })).toMatchObject({
        code: 'signature_mismatch',
      });
    });

    it('signs with a 64-byte whsk_ (seed and public key, as @stablelib/ed25519 writes it)', () => {
      const seed = Buffer.from(V1A_VECTOR.seed, 'base64');
      const publicKey = Buffer.from(V1A_VECTOR.publicKey.slice('whpk_'.length), 'base64');
      const signed = signStandardWebhookRequest({
        privateKey: `whsk_${Buffer.concat([seed, publicKey]).toString('base64')}`,
        id: VECTOR.id,
        timestamp: VECTOR.timestamp,
        body: VECTOR.payload,
      });
      expect(signed.headers['webhook-signature']).toBe(V1A_VECTOR.signature);
    });
  });

  describe('the reference library (standardwebhooks 1.3.0)', () => {
    it("accepts our signer's deliveries, and we accept its signatures", () => {
      at(undefined);
      const signed = signStandardWebhookRequest({ secret: SECRET, body: BODY });
      expect(new Webhook(SECRET).verify(signed.body, signed.headers)).toEqual(JSON.parse(BODY));
      const id = 'msg_from_reference';
      const now = new Date();
      const signature = new Webhook(SECRET).sign(id, now, BODY);
      const timestamp = Math.floor(now.getTime() / 1000);
      expect(verify(headersFor(signature, id, timestamp))).toMatchObject({ ok: true, eventId: id });
    });

    it('skips v1a entries, so our v1a-only delivery is one it cannot verify (issue #124)', () => {
      at(undefined);
      const signed = signStandardWebhookRequest({ privateKey: ed25519Pair().privateKey, body: BODY });
      expect(() => new Webhook(SECRET).verify(signed.body, signed.headers)).toThrow(
        'No matching signature found',
      );
    });
  });

  it('accepts the Svix header names, and both names when they agree', () => {
    const signature = v1(SECRET, 'msg_1', NOW, BODY);
    const svix = { 'svix-id': 'msg_1', 'svix-timestamp': String(NOW), 'svix-signature': signature };
    expect(verify(svix)).toMatchObject({ ok: true, eventId: 'msg_1' });
    expect(verify({ ...svix, ...headersFor(signature) })).toMatchObject({ ok: true });
    const signed = signStandardWebhookRequest({ secret: SECRET, body: BODY, headerNames: 'svix' });
    expect(Object.keys(signed.headers).filter((name) => name.startsWith('svix-'))).toHaveLength(3);
    expect(verify(signed.headers)).toMatchObject({ ok: true });
  });

  it('accepts any of several secrets, and unknown versions in the list', () => {
    const headers = headersFor(v1('whsec_bmV3LXNlY3JldA==', 'msg_1', NOW, BODY));
    expect(verify(headers, BODY, { secrets: [SECRET, 'whsec_bmV3LXNlY3JldA=='] })).toMatchObject({
      ok: true,
    });
    // A secret given without its prefix, as the reference library allows.
    expect(verify(headers, BODY, { secrets: ['bmV3LXNlY3JldA=='] })).toMatchObject({ ok: true });
    const withFuture = headersFor(`v2,c29tZXRoaW5nLWVsc2U= ${v1(SECRET, 'msg_1', NOW, BODY)}  `);
    expect(verify(withFuture)).toMatchObject({ ok: true });
  });

  it('is fresh until the timestamp leaves the window, in both directions', () => {
    for (const t of [NOW - 300, NOW + 300]) {
      expect(verify(headersFor(v1(SECRET, 'msg_1', t, BODY), 'msg_1', t))).toEqual({
        ok: true,
        freshUntilMs: (t + 300) * 1000,
        eventId: 'msg_1',
      });
    }
  });

  describe('refuses', () => {
    const good = () => headersFor(v1(SECRET, 'msg_1', NOW, BODY));

    it.each([
      ['a wrong secret', () => headersFor(v1('whsec_d3Jvbmc=', 'msg_1', NOW, BODY)), 'signature_mismatch'],
      ['a signature over another id', () => ({ ...good(), 'webhook-id': 'msg_2' }), 'signature_mismatch'],
      [
        'a signature over another timestamp',
        () => ({ ...good(), 'webhook-timestamp': String(NOW + 1) }),
        'signature_mismatch',
      ],
      [
        'a stale timestamp',
        () => headersFor(v1(SECRET, 'msg_1', NOW - 301, BODY), 'msg_1', NOW - 301),
        'timestamp_outside_window',
      ],
      [
        'a future timestamp',
        () => headersFor(v1(SECRET, 'msg_1', NOW + 301, BODY), 'msg_1', NOW + 301),
        'timestamp_outside_window',
      ],
      [
        'no signature header',
        () => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW) }),
        'missing_credentials',
      ],
      [
        'no id header',
        () => ({ 'webhook-timestamp': String(NOW), 'webhook-signature': good()['webhook-signature'] }),
        'missing_credentials',
      ],
      [
        'no timestamp header',
        () => ({ 'webhook-id': 'msg_1', 'webhook-signature': good()['webhook-signature'] }),
        'missing_credentials',
      ],
      [
        'a signature header as a list',
        () => ({
          ...good(),
          'webhook-signature': [good()['webhook-signature'], good()['webhook-signature']],
        }),
        'malformed_credentials',
      ],
      [
        'a repeated signature header, joined',
        () => ({
          ...good(),
          'webhook-signature': `${good()['webhook-signature']}, ${good()['webhook-signature']}`,
        }),
        'malformed_credentials',
      ],
      ['a repeated id, joined', () => ({ ...good(), 'webhook-id': 'msg_1, msg_1' }), 'malformed_credentials'],
      [
        'a repeated timestamp, joined',
        () => ({ ...good(), 'webhook-timestamp': `${NOW}, ${NOW}` }),
        'malformed_credentials',
      ],
      [
        'webhook- and svix- names that disagree',
        () => ({ ...good(), 'svix-id': 'msg_other' }),
        'malformed_credentials',
      ],
      [
        'a svix- signature that disagrees',
        () => ({ ...good(), 'svix-signature': v1('whsec_d3Jvbmc=', 'msg_1', NOW, BODY) }),
        'malformed_credentials',
      ],
      [
        'an empty signature header',
        () => ({ ...good(), 'webhook-signature': '  ' }),
        'malformed_credentials',
      ],
      ['"v1," alone', () => ({ ...good(), 'webhook-signature': 'v1,' }), 'malformed_credentials'],
      [
        'a v1 that is not base64 of 32 bytes',
        () => ({ ...good(), 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' }),
        'malformed_credentials',
      ],
      [
        'a partial v1',
        () => ({ ...good(), 'webhook-signature': good()['webhook-signature'].slice(0, 8) }),
        'malformed_credentials',
      ],
      [
        'a v1 in URL-safe base64',
        () => ({ ...good(), 'webhook-signature': `v1,${'_'.repeat(43)}=` }),
        'malformed_credentials',
      ],
      [
        'a v1a of the wrong length',
        () => ({ ...good(), 'webhook-signature': `v1a,${Buffer.alloc(32).toString('base64')}` }),
        'malformed_credentials',
      ],
      [
        'only unknown versions',
        () => ({ ...good(), 'webhook-signature': 'v2,c29tZXRoaW5n' }),
        'malformed_credentials',
      ],
      [
        'an entry without a version',
        () => ({ ...good(), 'webhook-signature': `${good()['webhook-signature']} c29tZXRoaW5n` }),
        'malformed_credentials',
      ],
      [
        '33 entries',
        () => ({ ...good(), 'webhook-signature': Array(33).fill(good()['webhook-signature']).join(' ') }),
        'malformed_credentials',
      ],
      [
        'a fractional timestamp',
        () => ({ ...good(), 'webhook-timestamp': `${NOW}.5` }),
        'malformed_credentials',
      ],
      ['an absurd timestamp', () => ({ ...good(), 'webhook-timestamp': '1e99' }), 'malformed_credentials'],
      [
        'a timestamp in ms',
        () => ({ ...good(), 'webhook-timestamp': String(NOW * 1000) }),
        'malformed_credentials',
      ],
      ['an id with a space', () => ({ ...good(), 'webhook-id': 'msg 1' }), 'malformed_credentials'],
      [
        'an id of 257 characters',
        () => ({ ...good(), 'webhook-id': 'm'.repeat(257) }),
        'malformed_credentials',
      ],
      [
        'an id with non-ASCII characters',
        () => ({ ...good(), 'webhook-id': 'msg_\u00e9' }),
        'malformed_credentials',
      ],
      ['an empty id', () => ({ ...good(), 'webhook-id': '' }), 'malformed_credentials'],
    ] as const)('%s', (_name, headers, code) => {
      expect(verify(headers() as Record<string, string>)).toMatchObject({ ok: false, code });
    });

    it('a tampered or re-serialised body', () => {
      expect(verify(good(), BODY.replace('in_1', 'in_2'))).toMatchObject({ code: 'signature_mismatch' });
      expect(verify(good(), JSON.stringify(JSON.parse(BODY), null, 2))).toMatchObject({
        code: 'signature_mismatch',
      });
    });

    it('a v1a signature when only secrets are configured, and a v1 when only public keys are', () => {
      const sender = ed25519Pair();
      const signed = signStandardWebhookRequest({
        privateKey: sender.privateKey,
        body: BODY,
        timestamp: NOW,
      });
      expect(verify(signed.headers)).toMatchObject({ code: 'signature_mismatch' });
      expect(verify(good(), BODY, { publicKeys: [sender.publicKey] })).toMatchObject({
        code: 'signature_mismatch',
      });
    });
  });

  it('parses a header strictly and keeps each version apart', () => {
    const hmac = createHmac('sha256', 'k').update('x').digest('base64');
    const ed = Buffer.alloc(64, 1).toString('base64');
    const parsed = parseStandardSignatures(`v1,${hmac} v1a,${ed} v3,zzz`);
    expect(parsed).toEqual({ v1: [Buffer.from(hmac, 'base64')], v1a: [Buffer.alloc(64, 1)] });
  });

  it('decodes standard base64 only, as the reference library does (and refuses padding that completes nothing)', () => {
    expect(decodeBase64('dGVzdA==')).toEqual(Buffer.from('test'));
    expect(decodeBase64('dGVzdA')).toEqual(Buffer.from('test'));
    for (const bad of ['abc', 'a-_b', 'dGVz dA==', 'dGVzdA=', '=', 'dGVzdA===']) {
      expect(decodeBase64(bad)).toBeUndefined();
    }
    for (const bad of ['', 'whsec_', 'whsec_abc', 'whpk_AAAA', 'whsk_AAAA'])
      expect(decodeSecret(bad)).toBeUndefined();
    expect(() => new Webhook('whsec_abc')).toThrow();
    expect(decodePublicKey(V1A_VECTOR.publicKey)).toBeDefined();
    expect(decodePublicKey(V1A_VECTOR.publicKey.slice('whpk_'.length))).toBeDefined();
    expect(decodePublicKey(`whpk_${Buffer.alloc(31).toString('base64')}`)).toBeUndefined();
    expect(decodePublicKey(`whsk_${V1A_VECTOR.seed}`)).toBeUndefined();
  });
});
