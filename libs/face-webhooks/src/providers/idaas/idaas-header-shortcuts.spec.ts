import fc from 'fast-check';
import { checkContentDigest, checkDigestDictionary, contentDigestOf } from './idaas-content-digest.js';
import { readProfileSignature, readSignatureHeaders } from './idaas-message-signature.js';
import { idaasFixture } from './idaas.fixtures.js';
import { signIdaasRequest } from './idaas.signer.js';

// Pieces of Signature-Input and Signature headers: the IDaaS profile, and every way of being near it
// that the shortcut must leave to the general parser (or read exactly as the parser does).
const component = fc.constantFrom(
  '"@method"',
  '"@target-uri"',
  '"content-digest"',
  '"@path"',
  '"@method";req',
  'x',
);
/** Mostly what the profile allows, so that the shortcut is taken often (see the last test). */
const often = <T>(arbitrary: fc.Arbitrary<T>, others: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary, weight: 4 }, { arbitrary: others, weight: 1 });
const integer = often(
  fc.integer({ min: 0, max: 2 ** 40 }).map(String),
  fc.constantFrom('0', '00', '01', '-5', '999999999999999', '1000000000000000', '1.5'),
);
const stringValue = often(
  fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'Z', '0', '-', ' ', '~') }).map((text) => `"${text}"`),
  fc.oneof(
    fc.constantFrom('"hmac-sha256"', '""', '"k\\"q"', '"a\\\\b"', 'hmac-sha256', '"rsa-v1_5-sha256"', '"é"'),
    fc.string({ maxLength: 8 }).map((text) => `"${text}"`),
  ),
);
const parameter = fc.oneof(
  fc.tuple(fc.constantFrom('created', 'expires'), integer).map(([key, value]) => `;${key}=${value}`),
  fc
    .tuple(fc.constantFrom('keyid', 'alg', 'nonce', 'tag'), stringValue)
    .map(([key, value]) => `;${key}=${value}`),
  fc.constantFrom(';created', ';alg=?1', ';Created=1', '; created=1', ';x=1'),
);
const PROFILE = '("@method" "@target-uri" "content-digest")';
const signatureInput = fc
  .tuple(
    often(fc.constant('sig='), fc.constantFrom('sig2=', 'Sig=', 'sig =', 'sig=sig=')),
    often(
      fc.constant(PROFILE),
      fc.array(component, { maxLength: 4 }).map((list) => `(${list.join(' ')})`),
    ),
    fc.array(parameter, { maxLength: 5 }),
    often(fc.constant(''), fc.constantFrom(', sig2=("@method")', ' ', ',sig=("@method")')),
  )
  .map(([label, list, parameters, tail]) => `${label}${list}${parameters.join('')}${tail}`);
const signature = often(
  fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .map((bytes) => `sig=:${Buffer.from(bytes).toString('base64')}:`),
  fc.oneof(
    fc
      .tuple(fc.uint8Array({ minLength: 31, maxLength: 33 }), fc.constantFrom('sig=', 'sig2=', 'sig=:'))
      .map(([bytes, label]) => `${label}:${Buffer.from(bytes).toString('base64')}:`),
    // Same bytes, last character not canonical (its low bits set), and other near misses.
    fc.constantFrom(
      'sig=:VShVXgTM1fPcRFUO+TeHmcfnqXGymFTfDu0Ackh1yE9=:',
      'sig=:VShVXgTM1fPcRFUO+TeHmcfnqXGymFTfDu0Ackh1yE8:',
      'sig=:VShVXgTM1fPcRFUO+TeHmcfnqXGymFTfDu0Ackh1yE8=:, sig=:AAAA:',
      'sig=:VShVXgTM1fPcRFUO-TeHmcfnqXGymFTfDu0Ackh1yE8=:',
      'sig=(":VShVXgTM1fPcRFUO+TeHmcfnqXGymFTfDu0Ackh1yE8=:")',
    ),
  ),
);

describe('IDaaS signature headers: the profile shortcut', () => {
  it('reads the headers IDaaS sends without the general parser', () => {
    const signed = signIdaasRequest({
      secret: 'k',
      url: 'https://hooks.example.com/webhooks/idaas',
      body: idaasFixture('face.biometric.created'),
    });
    const read = readProfileSignature(signed.headers['signature-input']!, signed.headers.signature!);
    expect(read).toBeDefined();
    expect(read).toEqual(readSignatureHeaders(signed.headers['signature-input']!, signed.headers.signature!));
  });

  it('leaves other orders, labels, escapes and repeated parameters to the general parser', () => {
    const sig = 'sig=:VShVXgTM1fPcRFUO+TeHmcfnqXGymFTfDu0Ackh1yE8=:';
    for (const input of [
      'sig=("@target-uri" "@method" "content-digest");created=1',
      'sig=("@method" "@target-uri" "content-digest");created=1;created=2',
      'sig=("@method" "@target-uri" "content-digest");keyid="a\\"b"',
      'sig=("@method" "@target-uri" "content-digest");created=01',
      'sig=("@method" "@target-uri" "content-digest"), sig2=("@method")',
      'sig=("@method"  "@target-uri" "content-digest")',
    ]) {
      expect(readProfileSignature(input, sig)).toBeUndefined();
    }
  });

  it('reads exactly what the general parser reads, whenever it reads anything', () => {
    fc.assert(
      fc.property(signatureInput, signature, (input, sig) => {
        const shortcut = readProfileSignature(input, sig);
        if (shortcut === undefined) return;
        const general = readSignatureHeaders(input, sig);
        expect('ok' in general).toBe(false);
        expect(shortcut).toEqual(general);
        // The parameters in the same order too: the base repeats them as serialised.
        expect([...shortcut.parameters.keys()]).toEqual([...(general as typeof shortcut).parameters.keys()]);
      }),
      { numRuns: 5_000 },
    );
  });

  it('meets the profile often enough in the generated headers to test something', () => {
    const samples = fc.sample(fc.tuple(signatureInput, signature), { numRuns: 5_000, seed: 7 });
    const taken = samples.filter(([input, sig]) => readProfileSignature(input, sig) !== undefined);
    expect(taken.length).toBeGreaterThan(100);
  });
});

describe('IDaaS Content-Digest: the SHA-256 shortcut', () => {
  const body = Buffer.from('{"id":"1"}');
  const header = fc.oneof(
    fc.constant(contentDigestOf(body)),
    fc.constant(contentDigestOf('{"id":"2"}')),
    fc
      .uint8Array({ minLength: 31, maxLength: 33 })
      .map((bytes) => `sha-256=:${Buffer.from(bytes).toString('base64')}:`),
    fc.constantFrom(
      `${contentDigestOf(body)}, ${contentDigestOf(body, 'sha-512')}`,
      `${contentDigestOf(body)}, sha-256=:AAAA:`,
      contentDigestOf(body).replace('sha-256', 'SHA-256'),
      contentDigestOf(body).replace(/=:$/, ':'),
      `${contentDigestOf(body).slice(0, -3)}9=:`,
      ` ${contentDigestOf(body)}`,
    ),
  );

  it('answers exactly what the general parser answers', () => {
    fc.assert(
      fc.property(header, (value) => {
        expect(checkContentDigest(value, body)).toBe(checkDigestDictionary(value, body));
      }),
      { numRuns: 2_000 },
    );
    expect(checkContentDigest(contentDigestOf(body), body)).toBeUndefined();
  });
});
