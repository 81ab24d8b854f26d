import { FaceWebhooksConfigError } from './core/face-webhooks-config.error.js';
import { normalizeBasePath, resolveFaceWebhooksOptions } from './face-webhooks.options.js';

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
    const resolved = resolveFaceWebhooksOptions({ faceio: { token: 't' } }, 'webhooks');
    expect(resolved.settings).toEqual({ basePath: 'webhooks', bodyLimitBytes: 256 * 1024 });
    expect(resolved.providers.map((p) => p.name)).toEqual(['faceio']);
    expect(resolved.providers[0]!.deduplicationTtlMs).toBe(60_000);
  });

  it('accepts a body limit in bytes or as a size', () => {
    expect(
      resolveFaceWebhooksOptions({ faceio: { token: 't' }, bodyLimit: 1000 }, '').settings.bodyLimitBytes,
    ).toBe(1000);
    expect(
      resolveFaceWebhooksOptions({ faceio: { token: 't' }, bodyLimit: '1mb' }, '').settings.bodyLimitBytes,
    ).toBe(1024 * 1024);
  });

  it('reports every problem at once', () => {
    try {
      resolveFaceWebhooksOptions({ faceio: { token: '' }, bodyLimit: -1, deduplicationMaxEntries: 0 }, '');
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
