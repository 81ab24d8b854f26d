import type { FaceWebhookProvider, WebhookRequest } from './face-webhook-provider.interface.js';
import {
  normalizeAddress,
  sourceAddress,
  SourceAllowList,
  withSourceAllowList,
} from './source-allow-list.js';

const list = (entries: unknown): SourceAllowList => {
  const parsed = SourceAllowList.parse('acme.allowedSourceIps', entries);
  if (!(parsed instanceof SourceAllowList)) throw new Error(parsed.join('\n'));
  return parsed;
};
const problems = (entries: unknown): string[] => {
  const parsed = SourceAllowList.parse('acme.allowedSourceIps', entries);
  return parsed instanceof SourceAllowList ? [] : parsed;
};
const request = (
  remoteAddress: string | undefined,
  headers: WebhookRequest['headers'] = {},
): WebhookRequest => ({
  method: 'POST',
  url: '/webhooks/acme',
  headers,
  secure: false,
  rawBody: Buffer.alloc(0),
  ...(remoteAddress === undefined ? {} : { remoteAddress }),
});

describe('SourceAllowList', () => {
  it('matches IPv4 and IPv6 addresses and ranges', () => {
    const allowed = list(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32', '::1']);
    for (const address of [
      '203.0.113.7',
      '198.51.100.0',
      '198.51.100.255',
      '2001:db8::1',
      '2001:db8:ffff::9',
      '::1',
    ])
      expect([address, allowed.allows(address)]).toEqual([address, true]);
    for (const address of [
      '203.0.113.8',
      '198.51.101.0',
      '2001:db9::1',
      '::2',
      'not-an-ip',
      '',
      '203.0.113.7:443',
    ])
      expect([address, allowed.allows(address)]).toEqual([address, false]);
  });

  it('reads an IPv4-mapped IPv6 address (a dual-stack socket) as IPv4', () => {
    expect(list(['203.0.113.0/24']).allows('::ffff:203.0.113.9')).toBe(true);
    expect(list(['203.0.113.0/24']).allows('::FFFF:203.0.114.9')).toBe(false);
    expect(normalizeAddress('::ffff:203.0.113.9')).toEqual({ address: '203.0.113.9', family: 'ipv4' });
    expect(normalizeAddress('fe80::1%eth0')).toBeUndefined();
  });

  it('refuses, naming the setting and the entry, what is no address or range', () => {
    expect(problems([])).toEqual([expect.stringContaining('acme.allowedSourceIps must be a non-empty list')]);
    expect(problems('203.0.113.7')).toEqual([expect.stringContaining('acme.allowedSourceIps must be')]);
    expect(
      problems([
        '203.0.113.7',
        '203.0.113.300',
        '10.0.0.0/33',
        '2001:db8::/129',
        'example.com',
        7,
        '1.2.3.4/8/9',
        '10.0.0.0/x',
      ]),
    ).toEqual([
      expect.stringContaining('acme.allowedSourceIps[1] "203.0.113.300" is not'),
      expect.stringContaining(
        'acme.allowedSourceIps[2] "10.0.0.0/33" has a prefix length that is not 0 to 32',
      ),
      expect.stringContaining(
        'acme.allowedSourceIps[3] "2001:db8::/129" has a prefix length that is not 0 to 128',
      ),
      expect.stringContaining('acme.allowedSourceIps[4] "example.com" is not'),
      expect.stringContaining('acme.allowedSourceIps[5] must be a string'),
      expect.stringContaining('acme.allowedSourceIps[6] "1.2.3.4/8/9" is not'),
      expect.stringContaining('acme.allowedSourceIps[7] "10.0.0.0/x" has a prefix length'),
    ]);
    expect(problems(['0.0.0.0/0'])).toEqual([expect.stringContaining('allows every address')]);
    expect(problems(['::/0'])).toEqual([expect.stringContaining('allows every address')]);
    expect(problems(['::ffff:1.2.3.4'])).toEqual([expect.stringContaining('as plain IPv4')]);
  });
});

describe('sourceAddress', () => {
  it("is the connection's address without a trusted proxy, whatever the headers say", () => {
    expect(sourceAddress(request('198.51.100.1', { 'x-forwarded-for': '203.0.113.7' }), undefined)).toEqual({
      address: '198.51.100.1',
    });
    expect(sourceAddress(request(undefined), undefined)).toEqual({ problem: expect.any(String) });
  });

  it('is the address the own proxies appended, counted from the right', () => {
    const proxy = { header: 'x-forwarded-for', hops: 1 };
    const forged = request('10.0.0.2', { 'x-forwarded-for': '203.0.113.7, 198.51.100.66' });
    expect(sourceAddress(forged, proxy)).toEqual({ address: '198.51.100.66' });
    expect(sourceAddress(forged, { ...proxy, hops: 2 })).toEqual({ address: '203.0.113.7' });
    expect(
      sourceAddress(request('10.0.0.2', { 'x-forwarded-for': '203.0.113.7' }), { ...proxy, hops: 2 }),
    ).toEqual({
      problem: expect.stringContaining('fewer than trustedProxyHops'),
    });
    expect(sourceAddress(request('10.0.0.2'), proxy)).toEqual({ problem: 'no x-forwarded-for header' });
    expect(sourceAddress(request('10.0.0.2', { 'x-forwarded-for': '  ' }), proxy)).toMatchObject({
      problem: expect.any(String),
    });
  });
});

describe('withSourceAllowList', () => {
  const inner: FaceWebhookProvider = {
    name: 'acme',
    dto: class {},
    deduplicationTtlMs: 1000,
    knownTypes: new Set(['a']),
    authenticate: () => ({ ok: true, freshUntilMs: 5 }),
    describe: () => ({ type: 'a', id: '1' }),
  };
  const guarded = withSourceAllowList(inner, list(['203.0.113.0/24']), undefined);

  it('refuses a source not on the list before authentication, and passes the rest through', () => {
    expect(guarded.authenticate(request('198.51.100.1'))).toEqual({
      ok: false,
      reason: 'source address 198.51.100.1 is not in allowedSourceIps',
      code: 'source_not_allowed',
    });
    expect(guarded.authenticate(request(undefined))).toMatchObject({ ok: false, code: 'source_not_allowed' });
    expect(guarded.authenticate(request('203.0.113.5'))).toEqual({ ok: true, freshUntilMs: 5 });
    expect(guarded).toMatchObject({ name: 'acme', deduplicationTtlMs: 1000, knownTypes: inner.knownTypes });
    expect(guarded.authorize).toBeUndefined();
    expect(guarded.describe({}, Buffer.alloc(0))).toEqual({ type: 'a', id: '1' });
  });
});
