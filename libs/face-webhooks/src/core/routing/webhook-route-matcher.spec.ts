import { WebhookRouteMatcher } from './webhook-route-matcher.js';

describe('WebhookRouteMatcher', () => {
  const matcher = new WebhookRouteMatcher('webhooks', ['faceio']);

  it.each([
    ['/webhooks/faceio'],
    ['/api/v1/webhooks/faceio'],
    ['/webhooks/faceio/'],
    ['/Webhooks/FACEIO'],
    ['/webhooks/faceio?source=console'],
  ])('recognises POST %s', (url) => expect(matcher.matches('POST', url)).toBe(true));

  it.each([
    ['POST', '/webhooks/facesign'],
    ['POST', '/webhooks/faceio/extra'],
    ['POST', '/webhooks/faceiox'],
    ['POST', '/xwebhooks/faceio'],
    ['GET', '/webhooks/faceio'],
    ['POST', ''],
    [undefined, '/webhooks/faceio'],
  ])('ignores %s %s', (method, url) => expect(matcher.matches(method, url)).toBe(false));

  it('handles an empty and a nested base path', () => {
    expect(new WebhookRouteMatcher('', ['faceio']).matches('POST', '/faceio')).toBe(true);
    expect(new WebhookRouteMatcher('hooks/face', ['faceio']).matches('POST', '/api/hooks/face/faceio')).toBe(
      true,
    );
    expect(new WebhookRouteMatcher('hooks/face', ['faceio']).matches('POST', '/api/hooks/faceio')).toBe(
      false,
    );
  });

  it('matches nothing when no provider is enabled', () => {
    expect(new WebhookRouteMatcher('webhooks', []).matches('POST', '/webhooks/faceio')).toBe(false);
  });
});
