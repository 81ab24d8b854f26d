import { parse } from 'node:url';
import { pathOf, WebhookRouteMatcher } from './webhook-route-matcher.js';

describe('WebhookRouteMatcher', () => {
  const matcher = new WebhookRouteMatcher('webhooks', ['faceio']);

  it.each([
    ['/webhooks/faceio'],
    ['/webhooks/faceio?source=console'],
    ['/webhooks/faceio?'],
    ['http://hooks.example.com/webhooks/faceio'],
    ['https://hooks.example.com:8443/webhooks/faceio?x=1'],
  ])('recognises POST %s as the route', (url) => expect(matcher.match('POST', url)).toBe('route'));

  it.each([
    ['/webhooks/faceio/'],
    ['/Webhooks/FACEIO'],
    ['/WEBHOOKS/FACEIO/?x=1'],
    ['//webhooks//faceio'],
    ['/webhooks/face%69o'],
    ['/webhooks%2Ffaceio'],
  ])('calls POST %s a near miss', (url) => expect(matcher.match('POST', url)).toBe('near-miss'));

  it.each([
    ['POST', '/webhooks/facesign'],
    ['POST', '/webhooks/faceio/extra'],
    ['POST', '/webhooks/faceiox'],
    ['POST', '/xwebhooks/faceio'],
    ['POST', '/legacy/webhooks/faceio'],
    ['POST', '/api/v1/webhooks/faceio'],
    ['POST', '/webhooks/%E0%A4%A'],
    ['POST', 'http://hooks.example.com'],
    ['POST', 'http://hooks.example.com/legacy/webhooks/faceio'],
    ['GET', '/webhooks/faceio'],
    ['POST', ''],
    [undefined, '/webhooks/faceio'],
  ])('leaves %s %s to the app', (method, url) => expect(matcher.match(method, url)).toBe('other'));

  it('serves the routes under the global prefix once mounted, and only there', () => {
    const prefixed = new WebhookRouteMatcher('webhooks', ['faceio', 'idaas']);
    prefixed.mount('/api/v1/');
    expect(prefixed.paths).toEqual(['/api/v1/webhooks/faceio', '/api/v1/webhooks/idaas']);
    expect(prefixed.match('POST', '/api/v1/webhooks/idaas')).toBe('route');
    expect(prefixed.match('POST', '/webhooks/idaas')).toBe('other');
    expect(prefixed.match('POST', '/API/v1/webhooks/idaas')).toBe('near-miss');
  });

  it('handles an empty and a nested base path', () => {
    expect(new WebhookRouteMatcher('', ['faceio']).match('POST', '/faceio')).toBe('route');
    const nested = new WebhookRouteMatcher('hooks/face', ['faceio']);
    nested.mount('api');
    expect(nested.match('POST', '/api/hooks/face/faceio')).toBe('route');
    expect(nested.match('POST', '/api/hooks/faceio')).toBe('other');
  });

  it('matches nothing when no provider is enabled', () => {
    expect(new WebhookRouteMatcher('webhooks', []).match('POST', '/webhooks/faceio')).toBe('other');
  });

  it.each([
    ['/webhooks/faceio'],
    ['/webhooks/faceio?x=1#y'],
    ['/webhooks/faceio#x'],
    ['/webhooks/faceio#x?y'],
    ['/webhooks/faceio\u00a0'],
    ['\ufeff/webhooks/faceio'],
    ['/webhooks\\faceio#x'],
    ['/webhooks\\faceio?a\\b#c'],
    ['//webhooks//faceio#x'],
    ['/webhooks/face%69o#x'],
    ['http://host/webhooks/faceio#x'],
    ['http://host/webhooks\\faceio'],
  ])('reads the path of %j as the router does (url.parse, the parser it falls back on)', (url) => {
    expect(pathOf(url)).toBe(parse(url).pathname);
  });

  it('leaves a backslash alone in a path the router reads without url.parse', () => {
    expect(pathOf('/webhooks\\faceio?x')).toBe('/webhooks\\faceio');
  });

  it('recognises the route behind a fragment, which the router ignores', () => {
    expect(matcher.match('POST', '/webhooks/faceio#x')).toBe('route');
    expect(matcher.providerOf('/webhooks/faceio#x')).toBe('faceio');
  });
});
