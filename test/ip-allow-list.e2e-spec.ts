import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FaceWebhooksModule, OnFaceEvent, type AnyFaceEvent } from 'nestjs-face-webhooks';
import { signVeriffRequest, veriffFixture } from 'nestjs-face-webhooks/testing';
import type { CaptureLogger } from './support/capture-logger.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';

const SECRET = 'allow-list-veriff-secret';

@Injectable()
class Handlers {
  readonly events: AnyFaceEvent[] = [];

  @OnFaceEvent('veriff.**')
  on(event: AnyFaceEvent): void {
    this.events.push(event);
  }
}

/**
 * A signed Veriff delivery over a real connection from `localAddress` (any of 127.0.0.0/8 is this
 * machine), with extra headers. Resolves with the status code.
 */
function deliver(
  port: number,
  path: string,
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<number> {
  const signed = signVeriffRequest({ secret: SECRET, body: veriffFixture('decision.approved') });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        localAddress: options.localAddress ?? '127.0.0.1',
        headers: { ...signed.headers, ...options.headers, 'content-length': Buffer.byteLength(signed.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(signed.body);
  });
}

async function listen(adapter: (typeof ADAPTERS)[number], module: object) {
  const { app, logger } = await createTestApp({
    adapter,
    imports: [FaceWebhooksModule.forRoot(module as never)],
    providers: [Handlers],
  });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    logger,
    port: (app.getHttpServer().address() as AddressInfo).port,
    handlers: app.get(Handlers),
  };
}

describe.each(ADAPTERS)('allowedSourceIps (%s)', (adapter) => {
  describe("on the connection's address", () => {
    let app: INestApplication;
    let logger: CaptureLogger;
    let port: number;
    let handlers: Handlers;

    beforeAll(async () => {
      ({ app, logger, port, handlers } = await listen(adapter, {
        veriff: {
          secret: SECRET,
          allowedSourceIps: ['127.0.0.2', '2001:db8::/32'],
          tenants: { resolve: (tenant: string) => (tenant === 'acme' ? { secret: SECRET } : undefined) },
        },
      }));
    });
    afterAll(() => app.close());
    beforeEach(() => (handlers.events.length = 0));

    it('accepts a genuine delivery from an allowed address', async () => {
      expect(await deliver(port, '/webhooks/veriff', { localAddress: '127.0.0.2' })).toBe(200);
      expect(await deliver(port, '/webhooks/veriff/acme', { localAddress: '127.0.0.2' })).toBe(200);
      expect(handlers.events).toHaveLength(2);
    });

    it('refuses a genuine delivery from any other address, before its signature is checked', async () => {
      expect(await deliver(port, '/webhooks/veriff', { localAddress: '127.0.0.3' })).toBe(401);
      expect(logger.find('warn', 'source address 127.0.0.3 is not in allowedSourceIps')).toHaveLength(1);
      // A tenant route answers as for an unknown tenant.
      expect(await deliver(port, '/webhooks/veriff/acme', { localAddress: '127.0.0.3' })).toBe(404);
      expect(handlers.events).toHaveLength(0);
    });

    it('ignores X-Forwarded-For when no proxy is trusted', async () => {
      const forged = { 'x-forwarded-for': '127.0.0.2', 'x-real-ip': '127.0.0.2' };
      expect(await deliver(port, '/webhooks/veriff', { localAddress: '127.0.0.3', headers: forged })).toBe(
        401,
      );
      expect(handlers.events).toHaveLength(0);
    });
  });

  describe('behind a trusted proxy', () => {
    let app: INestApplication;
    let port: number;
    let handlers: Handlers;

    beforeAll(async () => {
      ({ app, port, handlers } = await listen(adapter, {
        trustedProxyHeader: 'X-Forwarded-For',
        veriff: { secret: SECRET, allowedSourceIps: ['203.0.113.7'] },
      }));
    });
    afterAll(() => app.close());
    beforeEach(() => (handlers.events.length = 0));

    it('accepts the address the proxy appended', async () => {
      const headers = { 'x-forwarded-for': '203.0.113.7' };
      expect(await deliver(port, '/webhooks/veriff', { headers })).toBe(200);
      expect(handlers.events).toHaveLength(1);
    });

    it('does not trust an address the client put before it (a forged header)', async () => {
      // The client sent X-Forwarded-For: 203.0.113.7; the proxy appended the client's real address.
      const headers = { 'x-forwarded-for': '203.0.113.7, 198.51.100.66' };
      expect(await deliver(port, '/webhooks/veriff', { headers })).toBe(401);
      expect(handlers.events).toHaveLength(0);
    });

    it('refuses a request that did not come through the proxy (no header), and a garbled one', async () => {
      expect(await deliver(port, '/webhooks/veriff')).toBe(401);
      expect(await deliver(port, '/webhooks/veriff', { headers: { 'x-forwarded-for': 'unknown' } })).toBe(
        401,
      );
      expect(handlers.events).toHaveLength(0);
    });
  });
});

describe('allowedSourceIps and trustedProxyHeader options', () => {
  const compile = (options: object) =>
    Test.createTestingModule({ imports: [FaceWebhooksModule.forRoot(options as never)] }).compile();

  it('refuse to start with an invalid address or range, naming the setting', async () => {
    await expect(
      compile({ veriff: { secret: SECRET, allowedSourceIps: ['203.0.113.0/33'] } }),
    ).rejects.toThrow('veriff.allowedSourceIps[0] "203.0.113.0/33" has a prefix length that is not 0 to 32');
    await expect(compile({ persona: { secret: 'x', allowedSourceIps: ['example.com'] } })).rejects.toThrow(
      'persona.allowedSourceIps[0] "example.com" is not an IPv4 or IPv6 address or CIDR range',
    );
    await expect(compile({ veriff: { secret: SECRET, allowedSourceIps: [] } })).rejects.toThrow(
      'veriff.allowedSourceIps must be a non-empty list',
    );
  });

  it('refuse to start with an unusable proxy header or hop count', async () => {
    await expect(compile({ trustedProxyHeader: 'forwarded', veriff: { secret: SECRET } })).rejects.toThrow(
      'trustedProxyHeader: the Forwarded header (RFC 7239) is not supported',
    );
    await expect(
      compile({ trustedProxyHeader: 'x-forwarded-for', trustedProxyHops: 0, veriff: { secret: SECRET } }),
    ).rejects.toThrow('trustedProxyHops must be a whole number from 1 to 10');
    await expect(compile({ trustedProxyHops: 2, veriff: { secret: SECRET } })).rejects.toThrow(
      'trustedProxyHops needs trustedProxyHeader',
    );
  });
});
