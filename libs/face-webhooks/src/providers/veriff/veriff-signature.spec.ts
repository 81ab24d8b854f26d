import crypto from 'node:crypto';
import { SecretSet } from '../../contracts/constant-time.js';
import { computeVeriffSignature, verifyVeriffRequest } from './veriff-signature.js';
import { signVeriffRequest } from './veriff.signer.js';

const SECRET = 'abcdef12-abcd-abcd-abcd-abcdef012345';
const API_KEY = 'f0e1d2c3-0000-4000-8000-000000000001';
/** The sample request of Veriff's event webhook documentation, as one line. */
const BODY =
  '{"id":"f04bdb47-d3be-4b28-b028-a652feb060b5","attemptId":"e30122d1-740b-4764-853f-470374a7abf4","feature":"selfid","code":7002,"action":"submitted","vendorData":"12345678","endUserId":"a1b2c35d-e8f7-6d5e-3cd2-a1b2c35db3d4"}';
const hex = (secret: string, body = BODY) => computeVeriffSignature(secret, body).toString('hex');
const verify = (
  headers: Record<string, string | string[]>,
  body = BODY,
  secrets = [SECRET],
  apiKeys?: string[],
) =>
  verifyVeriffRequest(headers, Buffer.from(body), {
    secrets,
    ...(apiKeys ? { apiKeys: new SecretSet(apiKeys) } : {}),
  });

describe('Veriff signatures', () => {
  it('pins one vector (Veriff publishes no signed webhook example)', () => {
    // Computed independently with openssl:
    // printf '%s' '<BODY>' | openssl dgst -sha256 -hmac abcdef12-abcd-abcd-abcd-abcdef012345
    expect(hex(SECRET)).toBe('12d28cd7aa0f418dbb88ad72ed90aba69ce80fdee6f0979b33f032ed01d3de1a');
    expect(signVeriffRequest({ secret: SECRET, body: BODY }).headers['x-hmac-signature']).toBe(
      '12d28cd7aa0f418dbb88ad72ed90aba69ce80fdee6f0979b33f032ed01d3de1a',
    );
  });

  it('agrees both ways with the check the docs describe (HMAC-SHA256 of the body, hex)', () => {
    const body = '{"status":"success","verification":{"id":"ü"}}';
    const ours = signVeriffRequest({ secret: SECRET, body });
    const docs = crypto.createHmac('sha256', SECRET).update(Buffer.from(body, 'utf8')).digest('hex');
    expect(ours.headers['x-hmac-signature']).toBe(docs);
    expect(verify({ 'x-hmac-signature': docs }, body)).toEqual({ ok: true });
  });

  it('accepts VRF-HMAC-SIGNATURE, upper-case hex, both headers when both match, any secret', () => {
    expect(verify({ 'vrf-hmac-signature': hex(SECRET) })).toEqual({ ok: true });
    expect(verify({ 'x-hmac-signature': hex(SECRET).toUpperCase() })).toEqual({ ok: true });
    expect(verify({ 'x-hmac-signature': hex(SECRET), 'vrf-hmac-signature': hex(SECRET) })).toEqual({
      ok: true,
    });
    expect(verify({ 'x-hmac-signature': hex('new') }, BODY, [SECRET, 'new'])).toEqual({ ok: true });
  });

  it('refuses a wrong secret, a tampered body, and a second header that does not match', () => {
    expect(verify({ 'x-hmac-signature': hex('attacker') })).toMatchObject({
      ok: false,
      code: 'signature_mismatch',
    });
    expect(verify({ 'x-hmac-signature': hex(SECRET) }, BODY.replace('7002', '7001'))).toMatchObject({
      ok: false,
      code: 'signature_mismatch',
    });
    expect(verify({ 'x-hmac-signature': hex(SECRET), 'vrf-hmac-signature': hex('attacker') })).toMatchObject({
      ok: false,
      code: 'signature_mismatch',
    });
    expect(verify({ 'x-hmac-signature': hex(SECRET) }, BODY, [])).toMatchObject({ ok: false });
  });

  it.each([
    ['missing', {}, 'missing_credentials'],
    ['empty', { 'x-hmac-signature': '' }, 'malformed_credentials'],
    ['short', { 'x-hmac-signature': 'ab'.repeat(31) }, 'malformed_credentials'],
    ['prefixed', { 'x-hmac-signature': `sha256=${'a'.repeat(64)}` }, 'malformed_credentials'],
    ['non-hex', { 'x-hmac-signature': 'g'.repeat(64) }, 'malformed_credentials'],
    [
      'joined by Node',
      { 'x-hmac-signature': `${'a'.repeat(64)}, ${'a'.repeat(64)}` },
      'malformed_credentials',
    ],
    ['a list', { 'x-hmac-signature': ['a'.repeat(64), 'a'.repeat(64)] }, 'malformed_credentials'],
    ['padded', { 'x-hmac-signature': ` ${'a'.repeat(64)}` }, 'malformed_credentials'],
  ])('fails closed on a %s signature header', (_name, headers, code) => {
    expect(verify(headers as Record<string, string>)).toMatchObject({ ok: false, code });
  });

  describe('with an API key', () => {
    const signed = { 'x-hmac-signature': hex(SECRET) };
    it('accepts X-AUTH-CLIENT or VRF-AUTH-CLIENT carrying it', () => {
      expect(verify({ ...signed, 'x-auth-client': API_KEY }, BODY, [SECRET], [API_KEY])).toEqual({
        ok: true,
      });
      expect(verify({ ...signed, 'vrf-auth-client': API_KEY }, BODY, [SECRET], ['old', API_KEY])).toEqual({
        ok: true,
      });
    });
    it('refuses a missing, wrong, repeated or conflicting one', () => {
      expect(verify(signed, BODY, [SECRET], [API_KEY])).toMatchObject({ code: 'missing_credentials' });
      expect(verify({ ...signed, 'x-auth-client': 'other' }, BODY, [SECRET], [API_KEY])).toMatchObject({
        code: 'token_mismatch',
      });
      expect(
        verify(
          { ...signed, 'x-auth-client': API_KEY, 'vrf-auth-client': 'other' },
          BODY,
          [SECRET],
          [API_KEY],
        ),
      ).toMatchObject({ code: 'token_mismatch' });
      expect(
        verify({ ...signed, 'x-auth-client': [API_KEY, API_KEY] }, BODY, [SECRET], [API_KEY]),
      ).toMatchObject({
        code: 'malformed_credentials',
      });
    });
    it('still needs the signature', () => {
      expect(
        verify({ 'x-auth-client': API_KEY, 'x-hmac-signature': hex('x') }, BODY, [SECRET], [API_KEY]),
      ).toMatchObject({ code: 'signature_mismatch' });
    });
    it('ignores X-AUTH-CLIENT when no API key is configured', () => {
      expect(verify({ ...signed, 'x-auth-client': 'anything' })).toEqual({ ok: true });
    });
  });
});
