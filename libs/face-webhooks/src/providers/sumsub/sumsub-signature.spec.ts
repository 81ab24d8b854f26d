import type { IncomingHttpHeaders } from 'node:http';
import { computeSumsubDigest, verifySumsubRequest } from './sumsub-signature.js';
import { signSumsubRequest } from './sumsub.signer.js';

/*
 * Vectors computed independently of this code, with OpenSSL 3.0:
 *   printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'SoMe_SeCrEt_KeY'   (and -sha512, -sha1)
 * BODY is an applicantReviewed webhook shaped like the example of Sumsub's documentation.
 */
const SECRET = 'SoMe_SeCrEt_KeY';
const BODY =
  '{"applicantId":"5cb56e8e0a975a35f333cb83","inspectionId":"5cb56e8e0a975a35f333cb84","correlationId":"req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4","externalUserId":"externalUserId","levelName":"basic-kyc-level","type":"applicantReviewed","reviewResult":{"reviewAnswer":"GREEN"},"reviewStatus":"completed","createdAtMs":"2020-02-21 13:23:19.321"}';
const VECTORS = {
  HMAC_SHA256_HEX: 'dc1029b977cff1f1df76fe6e8736cc4c9f612cb8098969eeb99cc05ea8f043c6',
  HMAC_SHA512_HEX:
    '3b4848d1ebd7e113670d6b0e06fd4ac072e208f1a932c314588cec352d8646e5ad7b9cec8d77c423b0e7cfa206d892532040a38091667d012b8264bd1b8ab266',
  HMAC_SHA1_HEX: 'a9c0f20d3850f06e65f915510c428cabb5efef43',
} as const;

const raw = Buffer.from(BODY, 'utf8');
const strict = { secrets: [SECRET], allowSha1: false };
const verify = (headers: IncomingHttpHeaders, options = strict, body = raw) =>
  verifySumsubRequest(headers, body, options);
const refusal = (headers: IncomingHttpHeaders, options = strict, body = raw) => {
  const result = verify(headers, options, body);
  if (result.ok) throw new Error('accepted');
  return result.code;
};

describe('Sumsub digest', () => {
  it.each(Object.entries(VECTORS))('computes the OpenSSL vector for %s', (algorithm, expected) => {
    expect(computeSumsubDigest(SECRET, raw, algorithm as keyof typeof VECTORS)).toBe(expected);
    expect(
      signSumsubRequest({ secret: SECRET, body: BODY, algorithm: algorithm as keyof typeof VECTORS }).headers,
    ).toMatchObject({ 'x-payload-digest': expected, 'x-payload-digest-alg': algorithm });
  });

  it('accepts the vectors of SHA-256 and SHA-512, with or without an upper-case digest', () => {
    for (const algorithm of ['HMAC_SHA256_HEX', 'HMAC_SHA512_HEX'] as const) {
      const digest = VECTORS[algorithm];
      expect(verify({ 'x-payload-digest': digest, 'x-payload-digest-alg': algorithm })).toEqual({ ok: true });
      expect(verify({ 'x-payload-digest': digest.toUpperCase(), 'x-payload-digest-alg': algorithm }).ok).toBe(
        true,
      );
    }
  });

  it('reads a missing algorithm header as HMAC_SHA256_HEX, and only that', () => {
    expect(verify({ 'x-payload-digest': VECTORS.HMAC_SHA256_HEX })).toEqual({ ok: true });
    expect(refusal({ 'x-payload-digest': VECTORS.HMAC_SHA512_HEX })).toBe('malformed_credentials');
    expect(refusal({ 'x-payload-digest': VECTORS.HMAC_SHA1_HEX })).toBe('malformed_credentials');
  });

  it('refuses HMAC_SHA1_HEX unless allowSha1, and then checks it', () => {
    const sha1 = { 'x-payload-digest': VECTORS.HMAC_SHA1_HEX, 'x-payload-digest-alg': 'HMAC_SHA1_HEX' };
    expect(refusal(sha1)).toBe('legacy_signature_disabled');
    expect(verify(sha1, { ...strict, allowSha1: true })).toEqual({ ok: true });
    expect(refusal({ ...sha1, 'x-payload-digest': 'a'.repeat(40) }, { ...strict, allowSha1: true })).toBe(
      'signature_mismatch',
    );
  });

  it('does not let the algorithm header pick a digest of another length', () => {
    // A SHA-256 digest labelled SHA-512 (or the reverse) is malformed, not compared.
    expect(
      refusal({ 'x-payload-digest': VECTORS.HMAC_SHA256_HEX, 'x-payload-digest-alg': 'HMAC_SHA512_HEX' }),
    ).toBe('malformed_credentials');
    expect(
      refusal({ 'x-payload-digest': VECTORS.HMAC_SHA512_HEX, 'x-payload-digest-alg': 'HMAC_SHA256_HEX' }),
    ).toBe('malformed_credentials');
  });

  it.each([
    ['an unknown algorithm', { 'x-payload-digest-alg': 'HMAC_MD5_HEX' }],
    ['a lower-case algorithm', { 'x-payload-digest-alg': 'hmac_sha256_hex' }],
    ['an empty algorithm', { 'x-payload-digest-alg': '' }],
    ['an inherited property name', { 'x-payload-digest-alg': 'toString' }],
    ['a repeated algorithm header', { 'x-payload-digest-alg': 'HMAC_SHA256_HEX, HMAC_SHA256_HEX' }],
    ['an algorithm header list', { 'x-payload-digest-alg': ['HMAC_SHA256_HEX', 'HMAC_SHA256_HEX'] }],
    [
      'a repeated digest header',
      { 'x-payload-digest': `${VECTORS.HMAC_SHA256_HEX}, ${VECTORS.HMAC_SHA256_HEX}` },
    ],
    ['a digest header list', { 'x-payload-digest': [VECTORS.HMAC_SHA256_HEX, VECTORS.HMAC_SHA256_HEX] }],
    ['non-hex digits', { 'x-payload-digest': 'g'.repeat(64) }],
    ['a short digest', { 'x-payload-digest': VECTORS.HMAC_SHA256_HEX.slice(2) }],
    ['a digest with a prefix', { 'x-payload-digest': `sha256=${VECTORS.HMAC_SHA256_HEX}` }],
    ['surrounding spaces', { 'x-payload-digest': ` ${VECTORS.HMAC_SHA256_HEX}` }],
  ])('refuses %s as malformed', (_name, change) => {
    const headers = {
      'x-payload-digest': VECTORS.HMAC_SHA256_HEX,
      'x-payload-digest-alg': 'HMAC_SHA256_HEX',
      ...change,
    } as IncomingHttpHeaders;
    expect(refusal(headers)).toBe('malformed_credentials');
  });

  it('refuses a missing digest, a wrong secret and a changed body', () => {
    expect(refusal({ 'x-payload-digest-alg': 'HMAC_SHA256_HEX' })).toBe('missing_credentials');
    expect(refusal({ 'x-payload-digest': VECTORS.HMAC_SHA256_HEX }, { ...strict, secrets: ['other'] })).toBe(
      'signature_mismatch',
    );
    expect(
      refusal(
        { 'x-payload-digest': VECTORS.HMAC_SHA256_HEX },
        strict,
        Buffer.from(BODY.replace('GREEN', 'RED')),
      ),
    ).toBe('signature_mismatch');
    expect(refusal({ 'x-payload-digest': VECTORS.HMAC_SHA256_HEX }, { ...strict, secrets: [] })).toBe(
      'signature_mismatch',
    );
  });

  it('accepts any of several secrets, trying every one', () => {
    const rotating = { secrets: ['old-key', SECRET, 'next-key'], allowSha1: false };
    expect(verify({ 'x-payload-digest': VECTORS.HMAC_SHA256_HEX }, rotating)).toEqual({ ok: true });
    const digest = computeSumsubDigest('next-key', raw, 'HMAC_SHA512_HEX');
    expect(
      verify({ 'x-payload-digest': digest, 'x-payload-digest-alg': 'HMAC_SHA512_HEX' }, rotating).ok,
    ).toBe(true);
  });

  it('keys the HMAC with the secret as UTF-8 text, and hashes the exact body bytes', () => {
    const body = Buffer.from('{"type":"applicantCreated","note":"café"}', 'utf8');
    const digest = computeSumsubDigest('clé', body);
    expect(verify({ 'x-payload-digest': digest }, { secrets: ['clé'], allowSha1: false }, body).ok).toBe(
      true,
    );
    expect(
      verify(
        { 'x-payload-digest': digest },
        { secrets: ['clé'], allowSha1: false },
        Buffer.from(body.toString('latin1'), 'utf8'),
      ).ok,
    ).toBe(false);
  });
});
