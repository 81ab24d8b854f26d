import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { FaceSignMediaError } from './facesign-media.errors.js';
import { FaceSignMediaService } from './facesign-media.service.js';
import type { FaceSignMediaDto } from './facesign-event.dto.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);

/** A local file server whose routes behave in the ways a media download can go. */
function startServer(): Promise<{ server: Server; base: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    hits.push(req.url ?? '');
    switch (req.url) {
      case '/photo.jpg':
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': JPEG.length }).end(JPEG);
        return;
      case '/chunked.jpg': // no Content-Length: the cap must count while streaming
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(JPEG);
        res.end(JPEG);
        return;
      case '/html.jpg':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
        return;
      case '/slow.jpg':
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(JPEG.subarray(0, 10)); // and never finishes
        return;
      case '/unavailable.jpg':
        res.writeHead(503).end();
        return;
      case '/to-photo.jpg':
        res.writeHead(302, { location: '/photo.jpg' }).end();
        return;
      case '/to-file.jpg': // a policy that allows http must not follow to file: or ftp:
        res.writeHead(302, { location: 'file:///etc/passwd' }).end();
        return;
      case '/loop.jpg':
        res.writeHead(302, { location: '/loop.jpg' }).end();
        return;
      case '/to-https.jpg':
        res.writeHead(301, { location: `https://127.0.0.1:1/photo.jpg` }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits });
    }),
  );
}

class MemorySink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }
  get content(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

describe('FaceSignMediaService', () => {
  let server: Server;
  let base: string;
  let hits: string[];
  const service = new FaceSignMediaService({ facesign: { media: { allowedProtocols: ['http:'] } } });
  const media = (path: string, overrides: Partial<FaceSignMediaDto> = {}): FaceSignMediaDto => ({
    id: 'm_1',
    createdAt: Date.now(),
    url: `${base}${path}`,
    expires: Date.now() + 15 * 60 * 1000,
    contentType: 'image/jpeg',
    ...overrides,
  });
  const reasonOf = async (promise: Promise<unknown>): Promise<string> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FaceSignMediaError);
    return (error as FaceSignMediaError).reason;
  };

  beforeAll(async () => ({ server, base, hits } = await startServer()));
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (hits.length = 0));

  it('streams the file into a writable sink', async () => {
    const sink = new MemorySink();
    expect(await service.download(media('/photo.jpg'), sink)).toEqual({
      bytes: JPEG.length,
      contentType: 'image/jpeg',
    });
    expect(sink.content.equals(JPEG)).toBe(true);
  });

  it('hands the stream to a storage callback', async () => {
    let stored = Buffer.alloc(0);
    const result = await service.download(media('/chunked.jpg'), async (body, item) => {
      expect(item.id).toBe('m_1');
      for await (const chunk of body) stored = Buffer.concat([stored, chunk as Buffer]);
    });
    expect(result.bytes).toBe(2 * JPEG.length);
    expect(stored.length).toBe(2 * JPEG.length);
  });

  it('refuses an expired URL before connecting', async () => {
    const error = service.download(media('/photo.jpg', { expires: Date.now() - 1 }), new MemorySink());
    expect(await reasonOf(error)).toBe('expired');
    await expect(error).rejects.toThrow(/expired at/);
    expect(hits).toEqual([]);
  });

  it('refuses plain http unless allowed, before connecting', async () => {
    expect(await reasonOf(new FaceSignMediaService().download(media('/photo.jpg'), new MemorySink()))).toBe(
      'refused',
    );
    expect(hits).toEqual([]);
  });

  it('refuses a content type other than the one announced, and one not allowed', async () => {
    expect(await reasonOf(service.download(media('/html.jpg'), new MemorySink()))).toBe('content-type');
    expect(
      await reasonOf(service.download(media('/photo.jpg', { contentType: 'text/html' }), new MemorySink())),
    ).toBe('content-type');
  });

  it('stops at the size cap, declared or counted', async () => {
    expect(await reasonOf(service.download(media('/photo.jpg'), new MemorySink(), { maxBytes: 100 }))).toBe(
      'too-large',
    );
    const sink = new MemorySink();
    expect(
      await reasonOf(service.download(media('/chunked.jpg'), sink, { maxBytes: JPEG.length + 10 })),
    ).toBe('too-large');
    expect(sink.content.length).toBeLessThanOrEqual(JPEG.length + 10);
  });

  it('stops a storage callback at the size cap too', async () => {
    const download = service.download(
      media('/chunked.jpg'),
      async (body) => {
        for await (const _chunk of body) {
          /* drain */
        }
      },
      { maxBytes: 100 },
    );
    expect(await reasonOf(download)).toBe('too-large');
  });

  it('gives up after the timeout', async () => {
    expect(await reasonOf(service.download(media('/slow.jpg'), new MemorySink(), { timeoutMs: 200 }))).toBe(
      'timeout',
    );
  });

  it('follows a redirect that stays within the policy', async () => {
    const sink = new MemorySink();
    expect((await service.download(media('/to-photo.jpg'), sink)).bytes).toBe(JPEG.length);
    expect(hits).toEqual(['/to-photo.jpg', '/photo.jpg']);
  });

  it('checks every redirect hop against the protocol policy, and bounds the hops', async () => {
    expect(await reasonOf(service.download(media('/to-file.jpg'), new MemorySink()))).toBe('refused');
    // https is not in this service's policy (http only): the hop is refused without connecting.
    expect(await reasonOf(service.download(media('/to-https.jpg'), new MemorySink()))).toBe('refused');
    expect(await reasonOf(service.download(media('/loop.jpg'), new MemorySink()))).toBe('refused');
    expect(hits.filter((hit) => hit === '/loop.jpg')).toHaveLength(6);
  });

  it('says which failures a retry may fix: timeouts, network, 5xx; not policy, type, size or 4xx', async () => {
    const retryable = async (download: Promise<unknown>) =>
      ((await download.catch((error: unknown) => error)) as FaceSignMediaError).retryable;
    const sink = () => new MemorySink();
    expect(await retryable(service.download(media('/unavailable.jpg'), sink()))).toBe(true);
    expect(await retryable(service.download(media('/slow.jpg'), sink(), { timeoutMs: 200 }))).toBe(true);
    expect(
      await retryable(service.download(media('/x.jpg', { url: 'http://127.0.0.1:1/x.jpg' }), sink())),
    ).toBe(true);
    expect(await retryable(service.download(media('/missing.jpg'), sink()))).toBe(false);
    expect(await retryable(service.download(media('/html.jpg'), sink()))).toBe(false);
    expect(await retryable(service.download(media('/photo.jpg'), sink(), { maxBytes: 100 }))).toBe(false);
    expect(await retryable(service.download(media('/to-file.jpg'), sink()))).toBe(false);
    expect(await retryable(service.download(media('/photo.jpg', { expires: Date.now() - 1 }), sink()))).toBe(
      false,
    );
    expect(await retryable(new FaceSignMediaService().download(media('/photo.jpg'), sink()))).toBe(false);
  });

  it('reports an HTTP error status', async () => {
    const error = service.download(media('/missing.jpg'), new MemorySink());
    expect(await reasonOf(error)).toBe('http');
    await expect(error).rejects.toThrow('404');
  });
});
