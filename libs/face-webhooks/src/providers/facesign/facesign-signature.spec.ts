import crypto from 'node:crypto';
import {
  computeFaceSignSignature,
  parseFaceSignSignature,
  verifyFaceSignRequest,
} from './facesign-signature.js';
import { signFaceSignRequest } from './facesign.signer.js';

const SECRET = 'whsec_test_secret';
const NOW = 1_761_595_700;
const BODY = '{"id":"evt_1","type":"session.status","createdAt":1761595700000,"sessionId":"s1"}';
const hex = (secret: string, t: number | string, body = BODY) =>
  computeFaceSignSignature(secret, t, body).toString('hex');
const verify = (headers: Record<string, string>, body = BODY, secrets = [SECRET], allowUnsigned = false) =>
  verifyFaceSignRequest(headers, Buffer.from(body), {
    secrets,
    toleranceSeconds: 300,
    allowUnsigned,
    nowSeconds: NOW,
  });

// Verbatim from FaceSign's webhook documentation (Signature validation).
function verifyFacesignSignature(rawBody: string, signatureHeader: string, secret: string): boolean {
  if (!signatureHeader) return false;
  const parts = Object.fromEntries(signatureHeader.split(',').map((p) => p.split('=')));
  if (!parts.t || !parts.v1) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${parts.t}.${rawBody}`, 'utf8').digest('hex');
  try {
    return crypto.timingSafeEqual(Buffer.from(parts.v1, 'hex'), Buffer.from(expected, 'hex'));
  } catch {
    return false;
  }
}

describe('FaceSign signatures', () => {
  it('agrees with the Node example in the FaceSign docs, both ways', () => {
    const body = '{"id":"evt_ü","type":"media.user_photo"}';
    const ours = signFaceSignRequest({ secret: SECRET, body, timestamp: NOW });
    expect(verifyFacesignSignature(body, ours.headers['x-facesign-signature']!, SECRET)).toBe(true);

    const theirs = crypto.createHmac('sha256', SECRET).update(`${NOW}.${body}`, 'utf8').digest('hex');
    expect(verify({ 'x-facesign-signature': `t=${NOW},v1=${theirs}` }, body)).toMatchObject({ ok: true });
  });

  it('pins one vector', () => {
    // HMAC-SHA256("whsec_test_secret", "1761595700.{}") computed independently with openssl:
    // printf '1761595700.{}' | openssl dgst -sha256 -hmac whsec_test_secret
    expect(hex(SECRET, NOW, '{}')).toBe('8095a12c9a5c0d757f9b26dc07aee98365261e5f36fa488afa7ce25cd63fc98b');
  });

  it('accepts a fresh signature, the timestamp header agreeing, and the older header name', () => {
    expect(
      verify({ 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW)}`, 'x-facesign-timestamp': `${NOW}` }),
    ).toMatchObject({ ok: true });
    expect(verify({ 'facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW)}` })).toMatchObject({ ok: true });
    // Fresh until t leaves the window: the record of the delivery must outlive that.
    expect(verify({ 'x-facesign-signature': `t=${NOW - 300},v1=${hex(SECRET, NOW - 300)}` })).toEqual({
      ok: true,
      freshUntilMs: NOW * 1000,
    });
    expect(verify({ 'x-facesign-signature': `t=${NOW + 300},v1=${hex(SECRET, NOW + 300)}` })).toEqual({
      ok: true,
      freshUntilMs: (NOW + 600) * 1000,
    });
    expect(verify({ 'x-facesign-signature': ` t=${NOW} , v1=${hex(SECRET, NOW)} ` })).toMatchObject({
      ok: true,
    });
  });

  it('accepts rotation: two secrets configured, or two v1 values sent', () => {
    const headers = { 'x-facesign-signature': `t=${NOW},v1=${hex('whsec_new', NOW)}` };
    expect(verify(headers, BODY, ['whsec_old', 'whsec_new'])).toMatchObject({ ok: true });
    const both = { 'x-facesign-signature': `t=${NOW},v1=${hex('whsec_old', NOW)},v1=${hex(SECRET, NOW)}` };
    expect(verify(both)).toMatchObject({ ok: true });
  });

  it.each([
    ['a wrong secret', { 'x-facesign-signature': `t=${NOW},v1=${hex('whsec_wrong', NOW)}` }],
    ['a stale timestamp', { 'x-facesign-signature': `t=${NOW - 301},v1=${hex(SECRET, NOW - 301)}` }],
    ['a future timestamp', { 'x-facesign-signature': `t=${NOW + 301},v1=${hex(SECRET, NOW + 301)}` }],
    ['a signature over another timestamp', { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW - 1)}` }],
    [
      'a disagreeing timestamp header',
      { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW)}`, 'x-facesign-timestamp': `${NOW - 1}` },
    ],
    [
      'a zero-padded timestamp header',
      { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW)}`, 'x-facesign-timestamp': `0${NOW}` },
    ],
    ['no header', {}],
    ['only the timestamp header', { 'x-facesign-timestamp': `${NOW}` }],
    ['an empty header', { 'x-facesign-signature': '' }],
    ['no t', { 'x-facesign-signature': `v1=${hex(SECRET, NOW)}` }],
    ['no v1', { 'x-facesign-signature': `t=${NOW}` }],
    ['two t', { 'x-facesign-signature': `t=${NOW},t=${NOW},v1=${hex(SECRET, NOW)}` }],
    ['non-hex v1', { 'x-facesign-signature': `t=${NOW},v1=${'zz'.repeat(32)}` }],
    ['odd-length v1', { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW).slice(1)}` }],
    ['a short v1', { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW).slice(0, 32)}` }],
    [
      'a good v1 next to a malformed one',
      { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW)},v1=xyz` },
    ],
    ['a negative t', { 'x-facesign-signature': `t=-${NOW},v1=${hex(SECRET, `-${NOW}`)}` }],
    ['a fractional t', { 'x-facesign-signature': `t=${NOW}.5,v1=${hex(SECRET, `${NOW}.5`)}` }],
    [
      'an absurd t',
      { 'x-facesign-signature': `t=99999999999999999999,v1=${hex(SECRET, '99999999999999999999')}` },
    ],
    ['t in milliseconds', { 'x-facesign-signature': `t=${NOW}000,v1=${hex(SECRET, `${NOW}000`)}` }],
    ['a part without =', { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW)},garbage` }],
  ])('refuses %s', (_name, headers) => {
    expect(verify(headers as Record<string, string>).ok).toBe(false);
  });

  it('refuses a tampered or re-serialised body', () => {
    const headers = { 'x-facesign-signature': `t=${NOW},v1=${hex(SECRET, NOW)}` };
    expect(verify(headers, BODY.replace('evt_1', 'evt_2')).ok).toBe(false);
    expect(verify(headers, JSON.stringify(JSON.parse(BODY), null, 2)).ok).toBe(false);
  });

  it('accepts an unsigned delivery only when allowed, and never a bad signature', () => {
    expect(verify({}, BODY, [], true)).toEqual({ ok: true }); // unsigned: no time, no window
    expect(
      verify({ 'x-facesign-signature': `t=${NOW},v1=${hex('whsec_wrong', NOW)}` }, BODY, [SECRET], true).ok,
    ).toBe(false);
    expect(verify({ 'x-facesign-timestamp': `${NOW}` }, BODY, [SECRET], true).ok).toBe(false);
  });

  it('parses ignoring unknown schemes', () => {
    const parsed = parseFaceSignSignature(`t=${NOW},v0=abc,v1=${hex(SECRET, NOW)}`);
    expect(parsed).toEqual({
      timestampText: `${NOW}`,
      timestamp: NOW,
      signatures: [Buffer.from(hex(SECRET, NOW), 'hex')],
    });
  });
});
