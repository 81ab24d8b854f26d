import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import {
  computeStripeSignature,
  parseStripeSignatureHeader,
  verifyStripeSignature,
} from './stripe-identity-signature.js';
import { signStripeIdentityRequest } from './stripe-identity.signer.js';

const SECRET = 'whsec_test_secret';
const NOW = 1_700_000_000;
const BODY = '{"id":"evt_test_webhook","object":"event"}';
const hex = (secret: string, t: number | string, body = BODY) =>
  computeStripeSignature(secret, String(t), Buffer.from(body)).toString('hex');
const verify = (headers: Record<string, string | string[]>, body = BODY, secrets = [SECRET], now = NOW) =>
  verifyStripeSignature(headers, Buffer.from(body), { secrets, toleranceSeconds: 300, nowSeconds: now });

describe('Stripe-Signature', () => {
  it('pins a vector made with stripe-node 23.2.0 generateTestHeaderString and with openssl', () => {
    // printf '1700000000.{"id":"evt_test_webhook","object":"event"}' | openssl dgst -sha256 -hmac whsec_test_secret
    const expected = 'd95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990';
    expect(hex(SECRET, NOW)).toBe(expected);
    expect(Stripe.webhooks.generateTestHeaderString({ payload: BODY, secret: SECRET, timestamp: NOW })).toBe(
      `t=${NOW},v1=${expected}`,
    );
    expect(verify({ 'stripe-signature': `t=${NOW},v1=${expected}` })).toEqual({
      ok: true,
      freshUntilMs: (NOW + 300) * 1000,
    });
  });

  it('accepts what stripe-node signs, and stripe-node accepts what the test signer signs', () => {
    const body = '{"id":"evt_ü","type":"identity.verification_session.verified"}';
    const now = Math.floor(Date.now() / 1000);
    const theirs = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
    expect(verify({ 'stripe-signature': theirs }, body, [SECRET], now)).toMatchObject({ ok: true });

    const ours = signStripeIdentityRequest({ secret: SECRET, body, v0: true });
    const event = Stripe.webhooks.constructEvent(body, ours.headers['stripe-signature']!, SECRET);
    expect(event.id).toBe('evt_ü');
    // Two secrets, as during a roll: stripe-node accepts with either one.
    const rolled = signStripeIdentityRequest({ secret: ['whsec_old', SECRET], body });
    expect(Stripe.webhooks.constructEvent(body, rolled.headers['stripe-signature']!, 'whsec_old').id).toBe(
      'evt_ü',
    );
    expect(Stripe.webhooks.constructEvent(body, rolled.headers['stripe-signature']!, SECRET).id).toBe(
      'evt_ü',
    );
  });

  it('keys the HMAC with the whole secret, whsec_ included, as text (not base64-decoded)', () => {
    const manual = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(hex(SECRET, NOW)).toBe(manual);
    const decodedKey = createHmac('sha256', Buffer.from('test_secret', 'base64'))
      .update(`${NOW}.${BODY}`)
      .digest('hex');
    expect(verify({ 'stripe-signature': `t=${NOW},v1=${decodedKey}` }).ok).toBe(false);
  });

  it('accepts a stale-free window in both directions and says until when', () => {
    expect(verify({ 'stripe-signature': `t=${NOW - 300},v1=${hex(SECRET, NOW - 300)}` })).toEqual({
      ok: true,
      freshUntilMs: NOW * 1000,
    });
    expect(verify({ 'stripe-signature': `t=${NOW + 300},v1=${hex(SECRET, NOW + 300)}` })).toEqual({
      ok: true,
      freshUntilMs: (NOW + 600) * 1000,
    });
  });

  it('accepts rotation: a list of secrets, or two v1 in the header, and ignores v0 and other keys', () => {
    const newSig = { 'stripe-signature': `t=${NOW},v1=${hex('whsec_new', NOW)}` };
    expect(verify(newSig, BODY, ['whsec_old', 'whsec_new'])).toMatchObject({ ok: true });
    const both = { 'stripe-signature': `t=${NOW},v1=${hex('whsec_other', NOW)},v1=${hex(SECRET, NOW)}` };
    expect(verify(both)).toMatchObject({ ok: true });
    const extras = {
      'stripe-signature': `t=${NOW},v1=${hex(SECRET, NOW)},v0=${'0'.repeat(64)},secret=whsec_****cret,destination=we_123,payload=abcd1234`,
    };
    expect(verify(extras)).toMatchObject({ ok: true });
  });

  it.each([
    ['a wrong secret', `t=${NOW},v1=${hex('whsec_wrong', NOW)}`],
    ['a stale timestamp', `t=${NOW - 301},v1=${hex(SECRET, NOW - 301)}`],
    ['a future timestamp', `t=${NOW + 301},v1=${hex(SECRET, NOW + 301)}`],
    ['a signature over another timestamp', `t=${NOW},v1=${hex(SECRET, NOW - 1)}`],
    ['an empty header', ''],
    ['no t', `v1=${hex(SECRET, NOW)}`],
    ['no v1', `t=${NOW}`],
    ['only v0', `t=${NOW},v0=${hex(SECRET, NOW)}`],
    [
      'two t (a repeated header, joined by Node)',
      `t=${NOW},v1=${hex(SECRET, NOW)}, t=${NOW},v1=${hex(SECRET, NOW)}`,
    ],
    ['non-hex v1', `t=${NOW},v1=${'zz'.repeat(32)}`],
    ['a short v1', `t=${NOW},v1=${hex(SECRET, NOW).slice(0, 32)}`],
    ['a good v1 next to a malformed one', `t=${NOW},v1=${hex(SECRET, NOW)},v1=xyz`],
    ['a negative t', `t=-${NOW},v1=${hex(SECRET, `-${NOW}`)}`],
    ['a fractional t', `t=${NOW}.5,v1=${hex(SECRET, `${NOW}.5`)}`],
    ['an absurd t', `t=99999999999999999999,v1=${hex(SECRET, '99999999999999999999')}`],
    ['t in milliseconds', `t=${NOW}000,v1=${hex(SECRET, `${NOW}000`)}`],
    ['a part without =', `t=${NOW},v1=${hex(SECRET, NOW)},garbage`],
    ['an empty part', `t=${NOW},,v1=${hex(SECRET, NOW)}`],
    ['an overlong header', `t=${NOW},v1=${hex(SECRET, NOW)},v0=${'a'.repeat(5000)}`],
  ])('refuses %s', (_name, header) => {
    expect(verify({ 'stripe-signature': header }).ok).toBe(false);
  });

  it('names each refusal with its code', () => {
    expect(verify({})).toMatchObject({ ok: false, code: 'missing_credentials' });
    expect(verify({ 'stripe-signature': ['a', 'b'] })).toMatchObject({
      ok: false,
      code: 'malformed_credentials',
    });
    expect(verify({ 'stripe-signature': `t=${NOW}` })).toMatchObject({
      ok: false,
      code: 'malformed_credentials',
    });
    expect(verify({ 'stripe-signature': `t=${NOW - 301},v1=${hex(SECRET, NOW - 301)}` })).toMatchObject({
      ok: false,
      code: 'timestamp_outside_window',
    });
    expect(verify({ 'stripe-signature': `t=${NOW},v1=${hex('whsec_x', NOW)}` })).toMatchObject({
      ok: false,
      code: 'signature_mismatch',
    });
  });

  it('refuses a tampered or re-serialised body', () => {
    const headers = { 'stripe-signature': `t=${NOW},v1=${hex(SECRET, NOW)}` };
    expect(verify(headers, BODY.replace('evt_test', 'evt_evil')).ok).toBe(false);
    expect(verify(headers, JSON.stringify(JSON.parse(BODY), null, 2)).ok).toBe(false);
  });

  it('parses every v1 and ignores unknown schemes', () => {
    expect(parseStripeSignatureHeader(`t=${NOW},v0=abc,v1=${hex(SECRET, NOW)},v2=zz`)).toEqual({
      timestampText: `${NOW}`,
      timestamp: NOW,
      signatures: [Buffer.from(hex(SECRET, NOW), 'hex')],
    });
  });
});
