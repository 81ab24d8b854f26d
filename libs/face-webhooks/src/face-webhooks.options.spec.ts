import { FaceWebhooksConfigError } from './contracts/face-webhooks-config.error.js';
import {
  normalizeBasePath,
  parseBodyLimit,
  resolveExtras,
  resolveFaceWebhooksOptions,
} from './face-webhooks.options.js';

const extras = (basePath = 'webhooks') => resolveExtras({ basePath });

describe('module options', () => {
  it('normalises the base path', () => {
    expect(normalizeBasePath(undefined)).toBe('webhooks');
    expect(normalizeBasePath('/hooks/face/')).toBe('hooks/face');
    expect(normalizeBasePath('')).toBe('');
  });

  it.each([['hooks/:provider'], ['hooks/*'], ['a//b'], ['hooks?x']])('refuses base path %j', (path) => {
    expect(() => normalizeBasePath(path)).toThrow(FaceWebhooksConfigError);
  });

  it('resolves defaults', () => {
    const resolved = resolveFaceWebhooksOptions({ faceio: { token: 't' } }, extras());
    expect(resolved.settings).toEqual({
      basePath: 'webhooks',
      routes: true,
      singleRoutes: ['faceio'],
      tenantRoutes: [],
      bodyLimitBytes: 256 * 1024,
      bodyTimeoutMs: 10_000,
      deliveryModes: { faceio: 'inline' },
      inFlightTtlMs: 120_000,
      leaseMs: 10_000,
      shutdownTimeoutMs: 10_000,
    });
    expect(resolved.deduplication).toEqual({ store: 'memory', maxEntries: 100_000 });
    expect(resolved.queue).toBeNull();
    expect(resolved.providers.map((p) => p.name)).toEqual(['faceio']);
    expect(resolved.providers[0]!.deduplicationTtlMs).toBe(60_000);
  });

  it('accepts a body limit in bytes or as a size', () => {
    expect(
      resolveFaceWebhooksOptions({ faceio: { token: 't' }, bodyLimit: 1000 }, extras('')).settings
        .bodyLimitBytes,
    ).toBe(1000);
    expect(
      resolveFaceWebhooksOptions({ faceio: { token: 't' }, bodyLimit: '1mb' }, extras('')).settings
        .bodyLimitBytes,
    ).toBe(1024 * 1024);
  });

  it('reads a body limit only when it is exact', () => {
    expect(['512', '512b', '2 MB', '1.5kb', '10 kb'].map(parseBodyLimit)).toEqual([
      512,
      512,
      2 * 1024 * 1024,
      1536,
      10 * 1024,
    ]);
    for (const limit of ['2 megabytes', '10k', '0.1kb', '1.5b', 'lots', '', 0, -1, 1.5])
      expect(parseBodyLimit(limit)).toBeUndefined();
  });

  it('reports every problem at once', () => {
    try {
      resolveFaceWebhooksOptions(
        { faceio: { token: '' }, bodyLimit: -1, deduplicationMaxEntries: 0 },
        extras(''),
      );
      throw new Error('expected a configuration error');
    } catch (error) {
      expect(error).toBeInstanceOf(FaceWebhooksConfigError);
      expect((error as FaceWebhooksConfigError).problems).toEqual([
        expect.stringContaining('faceio.token'),
        expect.stringContaining('bodyLimit'),
        expect.stringContaining('deduplicationMaxEntries'),
      ]);
    }
  });
});
