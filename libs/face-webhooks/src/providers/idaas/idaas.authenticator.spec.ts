import type { WebhookRequest } from '../../contracts/face-webhook-provider.interface.js';
import { checkContentDigest, contentDigestOf } from './idaas-content-digest.js';
import { buildSignatureBase } from './idaas-message-signature.js';
import { parseTargetUri } from './idaas-target-uri.js';
import { authenticateIdaas, type IdaasAuthentication } from './idaas.authenticator.js';
import { signIdaasLegacyRequest, signIdaasRequest } from './idaas.signer.js';
import { parseDictionary, type InnerList } from 'structured-headers';

// A fixed vector, computed outside this code with openssl:
//   printf '%s' "$BODY" | openssl dgst -sha256 -binary | base64
//   printf '%s' "$BASE" | openssl dgst -sha256 -hmac idaas-secret-token -binary | base64
const SECRET = 'idaas-secret-token';
const BODY = '{"id":"019cf825-3f2b-738d-8a72-73512b91d3ae","type":"face.biometric.created"}';
const CREATED = 1773689716;
const URL_ = 'https://hooks.example.com/webhooks/idaas';
const DIGEST = 'sha-256=:wnCItsrtkUuCldQmyJQhvLsarVv1laJKWPhV/Ebr+0w=:';
const BASE = [
  '"@method": POST',
  '"@target-uri": https://hooks.example.com/webhooks/idaas',
  '"content-digest": sha-256=:wnCItsrtkUuCldQmyJQhvLsarVv1laJKWPhV/Ebr+0w=:',
  '"@signature-params": ("@method" "@target-uri" "content-digest");created=1773689716;alg="hmac-sha256"',
].join('\n');
const SIGNATURE_INPUT = 'sig=("@method" "@target-uri" "content-digest");created=1773689716;alg="hmac-sha256"';
const SIGNATURE = 'sig=:VShVXgTM1fPcRFUO+TeHmcfnqXGymFTfDu0Ackh1yE8=:';
const LEGACY = '9225f44445523ecc46adad481c821019f5059a8db939ff07d581a78c8210bc77';

const config: IdaasAuthentication = {
  secrets: [SECRET],
  toleranceSeconds: 300,
  acceptLegacySignature: false,
  nowSeconds: CREATED + 10,
};
const asRequest = (
  headers: Record<string, string>,
  body = BODY,
  url = '/webhooks/idaas',
): WebhookRequest => ({
  method: 'POST',
  url,
  headers: { host: 'hooks.example.com', ...headers },
  secure: true,
  rawBody: Buffer.from(body),
});
const vectorHeaders = { 'content-digest': DIGEST, 'signature-input': SIGNATURE_INPUT, signature: SIGNATURE };
/** The vector's body signed with `expires` 5 s after `created`. */
const expiring = signIdaasRequest({
  secret: SECRET,
  url: URL_,
  body: BODY,
  created: CREATED,
  expires: CREATED + 5,
});

describe('IDaaS authentication (RFC 9421 profile)', () => {
  it('builds the signature base of the fixed vector exactly', () => {
    const params = parseDictionary(SIGNATURE_INPUT).get('sig') as InnerList;
    const base = buildSignatureBase(params, {
      method: 'POST',
      targetUri: parseTargetUri(URL_)!,
      headers: { 'content-digest': DIGEST },
      requestTarget: '/webhooks/idaas',
    });
    expect(base).toBe(BASE);
    expect(contentDigestOf(BODY)).toBe(DIGEST);
  });

  it('verifies the fixed vector, and the signer reproduces it', () => {
    expect(authenticateIdaas(asRequest(vectorHeaders), config)).toMatchObject({ ok: true });
    const signed = signIdaasRequest({ secret: SECRET, url: URL_, body: BODY, created: CREATED });
    expect(signed.headers).toMatchObject(vectorHeaders);
  });

  it('verifies a signature over the components in another order, with one more (a second vector)', () => {
    // Computed with openssl as above, over this base:
    //   "content-digest": <DIGEST>
    //   "@method": POST
    //   "@authority": hooks.example.com
    //   "@target-uri": https://hooks.example.com/webhooks/idaas
    //   "@signature-params": ("content-digest" "@method" "@authority" "@target-uri");created=1773689716;alg="hmac-sha256"
    const input =
      'sig=("content-digest" "@method" "@authority" "@target-uri");created=1773689716;alg="hmac-sha256"';
    const headers = { ...vectorHeaders, 'signature-input': input };
    const signature = 'sig=:nPXY7s76dOrP5b5bCeqPzsMRGZhnC2mJgGO9y4DTBfI=:';
    expect(authenticateIdaas(asRequest({ ...headers, signature }), config)).toMatchObject({ ok: true });
    // The profile's signature does not verify under this order, nor this one under the profile's.
    expect(authenticateIdaas(asRequest(headers), config)).toMatchObject({ code: 'signature_mismatch' });
    expect(authenticateIdaas(asRequest({ ...vectorHeaders, signature }), config)).toMatchObject({
      code: 'signature_mismatch',
    });
  });

  it('accepts a second secret during rotation', () => {
    expect(
      authenticateIdaas(asRequest(vectorHeaders), { ...config, secrets: ['other', SECRET] }),
    ).toMatchObject({ ok: true });
  });

  it('accepts a sha-512 digest beside sha-256, and refuses when either is wrong', () => {
    const both = `${DIGEST}, ${contentDigestOf(BODY, 'sha-512')}`;
    expect(checkContentDigest(both, Buffer.from(BODY))).toBeUndefined();
    expect(checkContentDigest(`${DIGEST}, ${contentDigestOf('x', 'sha-512')}`, Buffer.from(BODY))).toMatch(
      /sha-512/,
    );
  });

  it.each([
    [
      'a changed body',
      asRequest(vectorHeaders, BODY.replace('face', 'user')),
      /Content-Digest sha-256 does not match/,
    ],
    [
      'a wrong digest',
      asRequest({ ...vectorHeaders, 'content-digest': contentDigestOf('other') }),
      /does not match/,
    ],
    [
      'an unsupported digest algorithm',
      asRequest({ ...vectorHeaders, 'content-digest': 'md5=:AAAA:' }),
      /no sha-256 or sha-512/,
    ],
    [
      'a digest that is not a byte sequence',
      asRequest({ ...vectorHeaders, 'content-digest': 'sha-256="abc"' }),
      /byte sequence/,
    ],
    [
      'a malformed digest header',
      asRequest({ ...vectorHeaders, 'content-digest': 'sha-256=:abc' }),
      /structured/,
    ],
    [
      'no digest header',
      asRequest({ 'signature-input': SIGNATURE_INPUT, signature: SIGNATURE }),
      /no Content-Digest/,
    ],
    [
      'another URL',
      asRequest(vectorHeaders, BODY, '/webhooks/idaas?x=1'),
      /does not match \(rebuilt @target-uri https:\/\/hooks.example.com\/webhooks\/idaas\?x=1\)/,
    ],
    ['another method', { ...asRequest(vectorHeaders), method: 'PUT' }, /signature does not match/],
    ['plain http', { ...asRequest(vectorHeaders), secure: false }, /rebuilt @target-uri http:\/\//],
    [
      'a wrong label',
      asRequest({
        ...vectorHeaders,
        'signature-input': SIGNATURE_INPUT.replace('sig=', 'other='),
        signature: SIGNATURE.replace('sig=', 'other='),
      }),
      /labelled "sig"/,
    ],
    [
      'a missing component',
      asRequest({
        ...vectorHeaders,
        'signature-input': 'sig=("@method" "@target-uri");created=1773689716;alg="hmac-sha256"',
      }),
      /does not cover content-digest/,
    ],
    [
      'another alg',
      asRequest({
        ...vectorHeaders,
        'signature-input': SIGNATURE_INPUT.replace('hmac-sha256', 'rsa-pss-sha512'),
      }),
      /alg rsa-pss-sha512/,
    ],
    [
      'a repeated component',
      asRequest({
        ...vectorHeaders,
        'signature-input': 'sig=("@method" "@target-uri" "content-digest" "@method");created=1773689716',
      }),
      /appears twice/,
    ],
    [
      'a component with parameters',
      asRequest({
        ...vectorHeaders,
        'signature-input': 'sig=("@method" "@target-uri" "content-digest";sf);created=1773689716',
      }),
      /has parameters/,
    ],
    [
      'a covered header that is absent',
      asRequest({
        ...vectorHeaders,
        'signature-input': 'sig=("@method" "@target-uri" "content-digest" "x-missing")',
      }),
      /"x-missing" is not in the request/,
    ],
    [
      'a signature that is not bytes',
      asRequest({ ...vectorHeaders, signature: 'sig="VShV"' }),
      /not a byte sequence/,
    ],
    [
      'a malformed Signature-Input',
      asRequest({ ...vectorHeaders, 'signature-input': 'sig=("@method"' }),
      /structured dictionary/,
    ],
    [
      'a signature of the wrong length',
      asRequest({ ...vectorHeaders, signature: 'sig=:AAAA:' }),
      /signature does not match/,
    ],
  ])('refuses %s', (_name, request, reason) => {
    const result = authenticateIdaas(request, config);
    expect(result.ok).toBe(false);
    expect((result as { reason: string }).reason).toMatch(reason);
  });

  it('refuses a wrong secret', () => {
    expect(authenticateIdaas(asRequest(vectorHeaders), { ...config, secrets: ['wrong'] }).ok).toBe(false);
  });

  it('enforces created and expires', () => {
    const at = (nowSeconds: number) => authenticateIdaas(asRequest(vectorHeaders), { ...config, nowSeconds });
    expect(at(CREATED + 300)).toMatchObject({ ok: true });
    expect(at(CREATED + 301)).toMatchObject({ ok: false, reason: expect.stringMatching(/too old/) });
    expect(at(CREATED - 301)).toMatchObject({ ok: false, reason: expect.stringMatching(/in the future/) });
    expect(
      authenticateIdaas(asRequest(expiring.headers), { ...config, nowSeconds: CREATED + 5 }),
    ).toMatchObject({ ok: true });
    expect(authenticateIdaas(asRequest(expiring.headers), { ...config, nowSeconds: CREATED + 6 }).ok).toBe(
      false,
    );
  });

  it('reports until when the request authenticates: created + tolerance, or expires if sooner', () => {
    expect(authenticateIdaas(asRequest(vectorHeaders), config)).toEqual({
      ok: true,
      freshUntilMs: (CREATED + 300) * 1000,
    });
    expect(authenticateIdaas(asRequest(expiring.headers), { ...config, nowSeconds: CREATED })).toEqual({
      ok: true,
      freshUntilMs: (CREATED + 5) * 1000,
    });
  });

  it('accepts a signature without created or alg (both optional in the profile), with no time of its own', () => {
    const bare = signIdaasRequest({ secret: SECRET, url: URL_, body: BODY, created: null, alg: null });
    expect(bare.headers['signature-input']).toBe('sig=("@method" "@target-uri" "content-digest")');
    expect(authenticateIdaas(asRequest(bare.headers), config)).toEqual({ ok: true });
  });

  describe('target URI as the sender wrote it', () => {
    const signedFor = (url: string) =>
      signIdaasRequest({ secret: SECRET, url, body: BODY, created: CREATED });

    it("keeps the Host header's case and the query's characters unencoded", () => {
      const signed = signedFor("https://Hooks.Example.COM/webhooks/idaas?tenant='acme'&x=a%20b");
      const request = asRequest(
        { ...signed.headers, host: 'Hooks.Example.COM' },
        BODY,
        "/webhooks/idaas?tenant='acme'&x=a%20b",
      );
      expect(authenticateIdaas(request, config)).toMatchObject({ ok: true });
      // new URL() would have signed https://hooks.example.com/webhooks/idaas?tenant=%27acme%27...
      const normalised = signedFor('https://hooks.example.com/webhooks/idaas?tenant=%27acme%27&x=a%20b');
      expect(
        authenticateIdaas({ ...request, headers: { ...request.headers, ...normalised.headers } }, config).ok,
      ).toBe(false);
    });

    it('accepts an absolute-form request line, whose URI is the target (the Host header aside)', () => {
      const uri = 'https://hooks.example.com:8443/webhooks/idaas';
      const request = {
        ...asRequest({ ...signedFor(uri).headers, host: 'ignored.example' }, BODY, uri),
        secure: false,
      };
      expect(authenticateIdaas(request, config)).toMatchObject({ ok: true });
      const { host: _host, ...noHost } = request.headers;
      expect(authenticateIdaas({ ...request, headers: noHost }, config)).toMatchObject({ ok: true });
    });

    it('refuses a request whose Host cannot be an authority, naming it', () => {
      const request = asRequest({ ...vectorHeaders, host: 'bad host' });
      expect(authenticateIdaas(request, config)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/no usable Host/),
      });
    });

    it('lower-cases @authority and @scheme, and keeps @path and @query as sent', () => {
      const target = parseTargetUri("HTTPS://Hooks.Example.COM:8443/a%2Fb/idaas?q='x'")!;
      expect(target).toEqual({
        uri: "HTTPS://Hooks.Example.COM:8443/a%2Fb/idaas?q='x'",
        scheme: 'https',
        authority: 'hooks.example.com:8443',
        path: '/a%2Fb/idaas',
        query: "?q='x'",
        originForm: "/a%2Fb/idaas?q='x'",
      });
      expect(parseTargetUri('https://h.example')).toMatchObject({ path: '/', query: '?', originForm: '/' });
      expect(parseTargetUri('/webhooks/idaas')).toBeUndefined();
    });
  });

  describe('target URI behind a proxy', () => {
    const publicUrl = 'https://api.example.com/backend/webhooks/idaas';
    const signed = signIdaasRequest({ secret: SECRET, url: publicUrl, body: BODY, created: CREATED });
    const behindProxy = (extra: Record<string, string> = {}) => ({
      ...asRequest({ ...signed.headers, host: '10.0.0.5:3000', ...extra }),
      secure: false,
    });

    it('fails with the request as the app sees it, naming the URI it rebuilt', () => {
      expect(authenticateIdaas(behindProxy(), config)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('rebuilt @target-uri http://10.0.0.5:3000/webhooks/idaas'),
      });
    });

    it('passes with publicBaseUrl', () => {
      expect(
        authenticateIdaas(behindProxy(), { ...config, publicBaseUrl: 'https://api.example.com/backend/' }),
      ).toMatchObject({ ok: true });
    });

    it('passes with trusted forwarded headers, and not without trusting them', () => {
      const forwarded = behindProxy({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' });
      const viaPrefix = { ...forwarded, url: '/backend/webhooks/idaas' };
      expect(authenticateIdaas(viaPrefix, { ...config, trustForwardedHeaders: true })).toMatchObject({
        ok: true,
      });
      expect(authenticateIdaas(viaPrefix, config).ok).toBe(false);
    });
  });

  describe('legacy x-sha2-signature', () => {
    const legacy = { 'x-sha2-signature': LEGACY };

    it('matches the fixed vector', () => {
      expect(signIdaasLegacyRequest({ secret: SECRET, body: BODY }).headers['x-sha2-signature']).toBe(LEGACY);
    });
    it('is accepted only when enabled', () => {
      expect(authenticateIdaas(asRequest(legacy), { ...config, acceptLegacySignature: true })).toMatchObject({
        ok: true,
      });
      expect(authenticateIdaas(asRequest(legacy), config)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/acceptLegacySignature is off/),
      });
    });
    it('is refused for a changed body or a malformed value', () => {
      const on = { ...config, acceptLegacySignature: true };
      expect(authenticateIdaas(asRequest(legacy, `${BODY} `), on).ok).toBe(false);
      expect(authenticateIdaas(asRequest({ 'x-sha2-signature': 'zz' }), on).ok).toBe(false);
    });
    it('does not replace a failing RFC 9421 signature', () => {
      const both = asRequest({ ...vectorHeaders, signature: 'sig=:AAAA:', ...legacy });
      expect(authenticateIdaas(both, { ...config, acceptLegacySignature: true }).ok).toBe(false);
    });
  });
});
