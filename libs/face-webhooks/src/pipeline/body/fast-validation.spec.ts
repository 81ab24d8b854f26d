import { plainToInstance } from 'class-transformer';
import { isISO8601, isURL, validateSync } from 'class-validator';
import fc from 'fast-check';
import { FaceioWebhookEventDto } from '../../providers/faceio/faceio-event.dto.js';
import { faceioFixture } from '../../providers/faceio/faceio.fixtures.js';
import { FaceSignWebhookEventDto } from '../../providers/facesign/facesign-event.dto.js';
import { faceSignFixture } from '../../providers/facesign/facesign.fixtures.js';
import {
  IdaasFaceBiometricCreatedEventDto,
  IdaasWebhookEventDto,
} from '../../providers/idaas/idaas-event.dto.js';
import { idaasFixture } from '../../providers/idaas/idaas.fixtures.js';
import { plainWebUrlCheck, rfc3339Check, surelyValid } from './fast-validation.js';

// The fast path may only say "valid" when class-validator says so, and never "invalid" when it says
// valid (it may be unsure: then class-validator decides). Checked on fixtures changed at random.
const OPTIONS = { forbidUnknownValues: true, validationError: { target: false } };
const CASES = [
  ['FACEIO', FaceioWebhookEventDto, () => faceioFixture('ENROLL')],
  ['FaceSign media', FaceSignWebhookEventDto, () => faceSignFixture('media.user_photo')],
  ['FaceSign status', FaceSignWebhookEventDto, () => faceSignFixture('session.status')],
  ['IDaaS envelope', IdaasWebhookEventDto, () => idaasFixture('user.created')],
  ['IDaaS face', IdaasFaceBiometricCreatedEventDto, () => idaasFixture('face.biometric.created')],
] as const;

const hostileValue = fc.oneof(
  fc.constantFrom(undefined, null, '', ' ', 0, -1, 1.5, 1e308, true, [], {}, [1], { a: 1 }),
  fc.constantFrom('ENROLL', 'enroll', 'AUTH.*', '203.0.113.9', '2001:db8::1', 'localhost', 'not an ip'),
  fc.constantFrom(
    '2026-11-24',
    '2026-11-24T07:55:59',
    '24/11/2026',
    'https://media.example.com/a.jpg',
    'ftp://x',
    'image/jpeg',
    'text',
  ),
  fc.constantFrom('media.user_photo', 'session.status', 'face.biometric.created', 'x'.repeat(300)),
  // Around @MaxLength's bounds, with the characters validator.js counts differently from .length.
  fc.constantFrom('x'.repeat(64), 'x'.repeat(65), '😀'.repeat(40), 'a\uFE0F'.repeat(40), 'x'.repeat(513)),
  fc.string({ maxLength: 20 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);
const paths = fc.constantFrom(
  'eventName',
  'facialId',
  'appId',
  'clientIp',
  'payload',
  'details',
  'details.timestamp',
  'details.age',
  'details.gender',
  'id',
  'type',
  'createdAt',
  'sessionId',
  'media',
  'media.url',
  'media.expires',
  'media.contentType',
  'media.id',
  'media.createdAt',
  'accountId',
  'eventTime',
  'data',
  'data.subject',
  'data.subjectType',
  'data.entityType',
  'data.entityId',
  'data.sourceIp',
  'data.entityAttributes',
  'data.entityAttributes.userId',
  'data.entityAttributes.status',
  'unexpected',
);

function setPath(body: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = body;
  for (const key of keys.slice(0, -1)) {
    if (target[key] === null || typeof target[key] !== 'object') return; // nothing to change below a leaf
    target = target[key] as Record<string, unknown>;
  }
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
}

describe('surelyValid', () => {
  it.each(CASES)('agrees with class-validator on valid %s fixtures', (_name, dto, fixture) => {
    const instance = plainToInstance(dto as new () => object, fixture());
    expect(validateSync(instance, OPTIONS)).toEqual([]);
    expect(surelyValid(instance)).toBe(true);
  });

  it.each(CASES)('agrees with class-validator on changed %s bodies', (_name, dto, fixture) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(paths, hostileValue), { minLength: 1, maxLength: 4 }), (changes) => {
        const body = structuredClone(fixture()) as unknown as Record<string, unknown>;
        for (const [path, value] of changes) setPath(body, path, structuredClone(value)); // a copy: never a cycle
        const instance = plainToInstance(dto as new () => object, body);
        const valid = validateSync(instance, OPTIONS).length === 0;
        const verdict = surelyValid(instance);
        if (verdict === true) expect(valid).toBe(true); // never lets an invalid body through
        if (valid) expect(verdict).not.toBe(false); // never calls a valid body invalid (unsure is fine)
      }),
      { numRuns: 1500 },
    );
  });
});

/** `samples` with up to 2 characters cut and up to 3 written in at a place within the first `span`. */
function nearMisses(samples: readonly string[], span: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...samples), fc.nat(span), fc.nat(2), fc.string({ maxLength: 3, unit: 'binary' }))
    .map(([sample, at, cut, text]) => sample.slice(0, at) + text + sample.slice(at + cut));
}

// URLs at the edges of what validator.js's isURL accepts: every one a plain-looking web URL that
// it refuses, or that it accepts for a reason the at-sight check does not follow.
const EDGE_URLS = [
  'https://media.facesign.ai/m_1.jpg',
  'http://a.bc',
  'https://a.bc?x=1&y=2#z',
  'https://a.bc#frag?x',
  'HTTPS://A.BC/x',
  'ftp://a.bc/x',
  'javascript://a.bc/x',
  'https://localhost/x',
  'https://a..bc/x',
  'https://-a.bc/x',
  'https://a-.bc/x',
  'https://a.b/x',
  'https://a.123/x',
  'https://1.2.3.4/x',
  'https://a_b.bc/x',
  'https://a.bc./x',
  'https://a.bc:443/x',
  'https://a.bc:99999/x',
  'https://user:pw@a.bc/x',
  'https://@a.bc/x',
  'https://a.bc/<x>',
  'https://a.bc/x y',
  'https://a.bc/x\ty',
  'https://a.bc/x\u00a0y',
  `https://${'a'.repeat(63)}.bc/x`,
  `https://${'a'.repeat(64)}.bc/x`,
  `https://a.${'b'.repeat(63)}/x`,
  `https://a.${'b'.repeat(64)}/x`,
  `https://a.bc/${'x'.repeat(2084 - 'https://a.bc/'.length)}`,
  `https://a.bc/${'x'.repeat(2085 - 'https://a.bc/'.length)}`,
  'https://xn--bcher-kva.example/x',
  'https://bücher.example/x',
  'https://[::1]/x',
];
const URL_OPTIONS = [
  undefined,
  { protocols: ['https', 'http'], require_tld: false, require_protocol: true }, // FaceSign's
  { protocols: ['https'] },
  { protocols: ['ftp'] },
  { require_tld: true },
  { require_protocol: false, require_valid_protocol: false, protocols: [] },
  { max_allowed_length: 30 },
  { validate_length: false, allow_underscores: true, allow_trailing_dot: true, disallow_auth: true },
];
const urlLike = fc.oneof(
  fc.constantFrom(...EDGE_URLS),
  fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['http', 'https', 'ftp'] }),
  nearMisses(EDGE_URLS, 60),
);

describe('plainWebUrlCheck', () => {
  it.each(URL_OPTIONS.map((options) => [JSON.stringify(options) ?? 'no options', options]))(
    'says "passes" only of URLs isURL accepts, with %s',
    (_name, options) => {
      // A copy per call: isURL writes its defaults into the options it is given.
      const copy = () => structuredClone(options);
      const check = plainWebUrlCheck(copy())!;
      expect(check).toBeDefined();
      fc.assert(
        fc.property(urlLike, (url) => {
          if (check(url)) expect(isURL(url, copy())).toBe(true);
        }),
        { numRuns: 3000 },
      );
      for (const url of EDGE_URLS) if (check(url)) expect(isURL(url, copy())).toBe(true);
      // The same check from the options as isURL leaves them, defaults written in.
      const used = copy();
      isURL('https://a.bc', used);
      const after = plainWebUrlCheck(used)!;
      expect(after).toBeDefined();
      for (const url of EDGE_URLS) expect(after(url)).toBe(check(url));
    },
  );

  it('recognises the plain URLs deliveries carry, so that they skip validator.js', () => {
    const faceSign = plainWebUrlCheck(structuredClone(URL_OPTIONS[1]))!;
    expect(faceSign('https://media.facesign.ai/m_1.jpg')).toBe(true);
    expect(
      faceSign('https://s3.eu-west-1.amazonaws.com/b/k.jpg?X-Amz-Signature=ab%2Fcd&X-Amz-Expires=900'),
    ).toBe(true);
    expect(faceSign('http://a.bc')).toBe(true);
    expect(plainWebUrlCheck({ protocols: ['https'] })!('http://a.bc')).toBe(false);
  });

  it("leaves options that change isURL's rules to validator.js", () => {
    for (const options of [
      { host_whitelist: ['a.bc'] },
      { host_blacklist: ['a.bc'] },
      { allow_fragments: false },
      { allow_query_components: false },
      { require_port: true },
      { max_allowed_length: '10' },
      { allow_something_new: true },
      { protocols: 'https' },
      null,
      'https',
    ]) {
      expect(plainWebUrlCheck(options)).toBeUndefined();
    }
  });
});

// Around the days of each month, leap years (1900 is not, 2000 is), and near-misses of the format.
const EDGE_TIMES = [
  '2026-11-24T07:55:59Z',
  '2026-11-24T07:55:59.123456789+01:00',
  '2026-02-28T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '0000-02-29T00:00:00Z',
  '0999-03-01T00:00:00Z',
  '1000-03-01T00:00:00Z',
  '2026-04-30T23:59:59Z',
  '2026-04-31T23:59:59Z',
  '2026-12-31T23:59:59-23:59',
  '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-01-00T00:00:00Z',
  '2026-01-32T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01t23:59:59z',
  '2026-01-01 23:59:59Z',
  '2026-01-01T23:59:59',
  '2026-01-01T23:59:59.Z',
  '2026-01-01T23:59:59+24:00',
  '+2026-01-01T23:59:59Z',
  '20260101T235959Z',
  '2026-01-01',
];
const timeLike = fc.oneof(
  fc.constantFrom(...EDGE_TIMES),
  fc
    .date({
      min: new Date(Date.UTC(0, 0, 1) - 62_135_596_800_000),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T12:00:00Z`,
    ),
  nearMisses(EDGE_TIMES, 30),
);

describe('rfc3339Check', () => {
  it.each([undefined, { strict: true }, { strict: false }, { strict: true, strictSeparator: true }])(
    'says "passes" only of times isISO8601 accepts, with %j',
    (options) => {
      const check = rfc3339Check(options)!;
      expect(check).toBeDefined();
      fc.assert(
        fc.property(timeLike, (time) => {
          if (check(time)) expect(isISO8601(time, options)).toBe(true);
        }),
        { numRuns: 5000 },
      );
    },
  );

  it('recognises the times deliveries carry, and no day a month has not got', () => {
    const check = rfc3339Check({ strict: true })!;
    const passes = EDGE_TIMES.filter(check);
    expect(passes).toEqual([
      '2026-11-24T07:55:59Z',
      '2026-11-24T07:55:59.123456789+01:00',
      '2026-02-28T00:00:00Z',
      '2024-02-29T00:00:00Z',
      '2000-02-29T00:00:00Z',
      '1000-03-01T00:00:00Z',
      '2026-04-30T23:59:59Z',
      '2026-12-31T23:59:59-23:59',
    ]);
    for (const time of passes) expect(isISO8601(time, { strict: true })).toBe(true);
  });

  it('leaves options it does not know to validator.js', () => {
    expect(rfc3339Check({ strict: true, somethingNew: true })).toBeUndefined();
    expect(rfc3339Check('strict')).toBeUndefined();
  });
});
