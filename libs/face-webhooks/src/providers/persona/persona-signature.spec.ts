import crypto from 'node:crypto';
import { computePersonaSignature, parsePersonaSignature, verifyPersonaRequest } from './persona-signature.js';
import { signPersonaRequest } from './persona.signer.js';

const SECRET = 'wbhsec_test_secret';
const NOW = 1_761_595_700;
const BODY = '{"data":{"type":"event","id":"evt_1","attributes":{"name":"inquiry.approved"}}}';
const hex = (secret: string, t: number | string, body = BODY) =>
  computePersonaSignature(secret, t, body).toString('hex');
const verify = (
  headers: Record<string, string | string[]>,
  body = BODY,
  secrets = [SECRET],
  nowSeconds = NOW,
) => verifyPersonaRequest(headers, Buffer.from(body), { secrets, toleranceSeconds: 300, nowSeconds });
const header = (t: number | string, secret = SECRET, body = BODY) => `t=${t},v1=${hex(secret, t, body)}`;

/**
 * The JavaScript sample of Persona's "Webhook Best Practices" page (Checking signatures), as far as
 * the page shows it: split the header on `,` then on `=`, HMAC-SHA256 `t.body` with the secret as
 * the key, hex, compare. It reads one set only.
 */
function personaDocsSample(rawBody: string, signatureHeader: string, secret: string): boolean {
  const sigParams: Record<string, string> = {};
  signatureHeader.split(',').forEach((pair) => {
    const [key, value] = pair.split('=');
    sigParams[key!] = value!;
  });
  if (!sigParams.t || !sigParams.v1) return false;
  const digest = crypto.createHmac('sha256', secret).update(`${sigParams.t}.${rawBody}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(sigParams.v1), Buffer.from(digest));
}

describe('Persona signatures', () => {
  it('agrees with the sample code in the Persona docs, both ways', () => {
    const body = '{"data":{"id":"evt_ü","attributes":{"name":"inquiry.completed"}}}';
    const ours = signPersonaRequest({ secret: SECRET, body, timestamp: NOW });
    expect(personaDocsSample(body, ours.headers['persona-signature']!, SECRET)).toBe(true);
    expect(personaDocsSample(body, ours.headers['persona-signature']!, 'wbhsec_other')).toBe(false);

    const theirs = crypto.createHmac('sha256', SECRET).update(`${NOW}.${body}`, 'utf8').digest('hex');
    expect(verify({ 'persona-signature': `t=${NOW},v1=${theirs}` }, body)).toEqual({
      ok: true,
      freshUntilMs: (NOW + 300) * 1000,
    });
  });

  it('pins one vector (Persona publishes none)', () => {
    // Computed independently with openssl:
    // printf '1700000000.<body>' | openssl dgst -sha256 -hmac wbhsec_test_0123456789abcdef
    const body =
      '{"data":{"type":"event","id":"evt_XGuYWp7WuDzNxie5z16s7sGJ","attributes":{"name":"inquiry.approved"}}}';
    expect(hex('wbhsec_test_0123456789abcdef', 1_700_000_000, body)).toBe(
      '259cfaa150f41f3484d9367db7a02c60a4561b1c9652b61a40b4b761eb08e803',
    );
  });

  it('accepts a fresh signature at both edges of the window, fresh until t leaves it', () => {
    expect(verify({ 'persona-signature': header(NOW - 300) })).toEqual({
      ok: true,
      freshUntilMs: NOW * 1000,
    });
    expect(verify({ 'persona-signature': header(NOW + 300) })).toEqual({
      ok: true,
      freshUntilMs: (NOW + 600) * 1000,
    });
    expect(verify({ 'persona-signature': `  ${header(NOW)}  ` })).toMatchObject({ ok: true });
  });

  it("accepts Persona's own rotation: two space-separated sets, either one valid", () => {
    const both = `${header(NOW, 'wbhsec_old')} ${header(NOW, SECRET)}`;
    expect(verify({ 'persona-signature': both })).toMatchObject({ ok: true });
    const reversed = `${header(NOW, SECRET)} ${header(NOW, 'wbhsec_new')}`;
    expect(verify({ 'persona-signature': reversed })).toMatchObject({ ok: true });
    expect(verify({ 'persona-signature': both }, BODY, ['wbhsec_old'])).toMatchObject({ ok: true });
    expect(verify({ 'persona-signature': both }, BODY, ['wbhsec_neither']).ok).toBe(false);
    // The signer writes what the docs describe for a rotation.
    const signed = signPersonaRequest({ secret: ['wbhsec_old', SECRET], body: BODY, timestamp: NOW });
    expect(signed.headers['persona-signature']).toBe(both);
  });

  it('accepts any configured secret (our rotation), trying each', () => {
    expect(
      verify({ 'persona-signature': header(NOW, 'wbhsec_new') }, BODY, [SECRET, 'wbhsec_new']),
    ).toMatchObject({
      ok: true,
    });
  });

  it('keeps the freshness of the latest matching set, and ignores sets outside the window', () => {
    const twoTimes = `${header(NOW - 200)} ${header(NOW + 100)}`;
    expect(verify({ 'persona-signature': twoTimes })).toEqual({ ok: true, freshUntilMs: (NOW + 400) * 1000 });
    // A stale but valid set does not carry a fresh one that does not match.
    const staleGood = `${header(NOW - 301)} t=${NOW},v1=${hex('wbhsec_wrong', NOW)}`;
    expect(verify({ 'persona-signature': staleGood })).toMatchObject({
      ok: false,
      code: 'signature_mismatch',
    });
  });

  it.each([
    ['a wrong secret', header(NOW, 'wbhsec_wrong'), 'signature_mismatch'],
    ['the secret with different case', header(NOW, SECRET.toUpperCase()), 'signature_mismatch'],
    ['a stale timestamp', header(NOW - 301), 'timestamp_outside_window'],
    ['a future timestamp', header(NOW + 301), 'timestamp_outside_window'],
    ['a signature over another timestamp', `t=${NOW},v1=${hex(SECRET, NOW - 1)}`, 'signature_mismatch'],
    ['an empty header', '', 'malformed_credentials'],
    ['blanks only', '   ', 'malformed_credentials'],
    ['no t', `v1=${hex(SECRET, NOW)}`, 'malformed_credentials'],
    ['v1 before t', `v1=${hex(SECRET, NOW)},t=${NOW}`, 'malformed_credentials'],
    ['no v1', `t=${NOW}`, 'malformed_credentials'],
    ['a second set without v1', `${header(NOW)} t=${NOW}`, 'malformed_credentials'],
    ['non-hex v1', `t=${NOW},v1=${'zz'.repeat(32)}`, 'malformed_credentials'],
    ['a short v1', `t=${NOW},v1=${hex(SECRET, NOW).slice(0, 32)}`, 'malformed_credentials'],
    ['a good v1 next to a malformed one', `${header(NOW)},v1=xyz`, 'malformed_credentials'],
    ['a negative t', `t=-${NOW},v1=${hex(SECRET, `-${NOW}`)}`, 'malformed_credentials'],
    ['a fractional t', `t=${NOW}.5,v1=${hex(SECRET, `${NOW}.5`)}`, 'malformed_credentials'],
    ['a zero-padded t', `t=0${NOW},v1=${hex(SECRET, `0${NOW}`)}`, 'malformed_credentials'],
    [
      'an absurd t',
      `t=99999999999999999999,v1=${hex(SECRET, '99999999999999999999')}`,
      'malformed_credentials',
    ],
    ['t in milliseconds', header(`${NOW}000`), 'malformed_credentials'],
    ['a part without =', `${header(NOW)},garbage`, 'malformed_credentials'],
    ['two headers joined by Node', `${header(NOW)}, ${header(NOW)}`, 'malformed_credentials'],
    ['a blank after a comma', `t=${NOW}, v1=${hex(SECRET, NOW)}`, 'malformed_credentials'],
    ['a trailing comma', `${header(NOW)},`, 'malformed_credentials'],
    ['two t in a set', `t=${NOW},t=${NOW},v1=${hex(SECRET, NOW)}`, 'malformed_credentials'],
    ['an empty key', `${header(NOW)},=x`, 'malformed_credentials'],
    ['five sets', Array.from({ length: 5 }, () => header(NOW)).join(' '), 'malformed_credentials'],
    ['five v1 in a set', `t=${NOW}${`,v1=${hex(SECRET, NOW)}`.repeat(5)}`, 'malformed_credentials'],
  ])('refuses %s', (_name, value, code) => {
    expect(verify({ 'persona-signature': value })).toMatchObject({ ok: false, code });
  });

  it('refuses a missing or repeated header', () => {
    expect(verify({})).toMatchObject({ ok: false, code: 'missing_credentials' });
    expect(verify({ 'persona-signature': [header(NOW), header(NOW)] })).toMatchObject({
      ok: false,
      code: 'malformed_credentials',
    });
  });

  it('refuses a tampered or re-serialised body', () => {
    const headers = { 'persona-signature': header(NOW) };
    expect(verify(headers, BODY.replace('evt_1', 'evt_2')).ok).toBe(false);
    expect(verify(headers, JSON.stringify(JSON.parse(BODY), null, 2)).ok).toBe(false);
  });

  it('refuses everything when no secret is configured', () => {
    expect(verify({ 'persona-signature': header(NOW) }, BODY, []).ok).toBe(false);
  });

  it('parses sets separated by blanks, ignoring unknown keys after t', () => {
    expect(
      parsePersonaSignature(
        `t=${NOW},v0=abc,v1=${hex(SECRET, NOW)}  t=${NOW + 1},v1=${hex(SECRET, NOW + 1)}`,
      ),
    ).toEqual([
      { timestampText: `${NOW}`, timestamp: NOW, signatures: [Buffer.from(hex(SECRET, NOW), 'hex')] },
      {
        timestampText: `${NOW + 1}`,
        timestamp: NOW + 1,
        signatures: [Buffer.from(hex(SECRET, NOW + 1), 'hex')],
      },
    ]);
  });
});
