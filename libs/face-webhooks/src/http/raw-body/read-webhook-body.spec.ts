import { PassThrough } from 'node:stream';
import { BodyDeadlines } from './body-deadlines.js';
import { readWebhookBody, type WebhookBodyRead } from './read-webhook-body.js';

const LIMITS = { limit: 100, deadlines: new BodyDeadlines(5_000) };

/** Reads `stream` and resolves with every result the callback was given, a tick after the first. */
function read(
  stream: PassThrough,
  contentLength: string | undefined,
  drive: (stream: PassThrough) => void,
  limits = LIMITS,
): Promise<WebhookBodyRead[]> {
  const results: WebhookBodyRead[] = [];
  return new Promise((resolve) => {
    readWebhookBody(stream, '/webhooks/faceio', contentLength, limits, (result) => {
      results.push(result);
      setImmediate(() => resolve(results));
    });
    drive(stream);
  });
}

describe('readWebhookBody', () => {
  it('gives the exact bytes of a body sent in several chunks, as a copy', async () => {
    const first = Buffer.from('{"a":');
    const results = await read(new PassThrough(), '10', (stream) => {
      stream.write(first);
      stream.end(Buffer.from('"é"}'));
    });
    expect(results).toHaveLength(1);
    const { body } = results[0] as { body: Buffer };
    expect(body.toString('utf8')).toBe('{"a":"é"}');
    first.fill(0);
    expect(body.toString('utf8')).toBe('{"a":"é"}');
  });

  it('gives an empty body for a stream that ends at once, with or without a length', async () => {
    expect(await read(new PassThrough(), '0', (stream) => stream.end())).toEqual([{ body: Buffer.alloc(0) }]);
    expect(await read(new PassThrough(), undefined, (stream) => stream.end())).toEqual([
      { body: Buffer.alloc(0) },
    ]);
  });

  it('refuses a declared length over the limit at once, without reading a byte', () => {
    const stream = new PassThrough();
    const results: WebhookBodyRead[] = [];
    readWebhookBody(stream, '/x', '101', LIMITS, (result) => results.push(result));
    expect(results).toEqual([{ status: 413, message: 'Request body is larger than the 100-byte limit' }]);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('refuses an undeclared body once it passes the limit, before it ends, and stops reading', async () => {
    const stream = new PassThrough();
    const results = await read(stream, undefined, (s) => {
      s.write(Buffer.alloc(60));
      s.write(Buffer.alloc(60));
      s.write(Buffer.alloc(60)); // never ends
    });
    expect(results).toEqual([{ status: 413, message: 'Request body is larger than the 100-byte limit' }]);
    expect(stream.listenerCount('data')).toBe(0);
    expect(stream.isPaused()).toBe(true);
  });

  it('takes a body of exactly the limit', async () => {
    const results = await read(new PassThrough(), '100', (stream) => stream.end(Buffer.alloc(100, 0x20)));
    expect((results[0] as { body: Buffer }).body).toHaveLength(100);
  });

  it.each([
    ['shorter than', '20'],
    ['longer than', '5'],
  ])('refuses a body %s its Content-Length with 400', async (_, length) => {
    const results = await read(new PassThrough(), length, (stream) => stream.end(Buffer.from('{"a":1}')));
    expect(results).toEqual([{ status: 400, message: 'Request body could not be read' }]);
  });

  it('refuses a stream that fails with 400, and one already consumed', async () => {
    const failed = await read(new PassThrough(), undefined, (stream) => {
      stream.write('{');
      stream.destroy(new Error('decoder broke'));
    });
    expect(failed).toEqual([{ status: 400, message: 'Request body could not be read' }]);

    const consumed = new PassThrough();
    consumed.resume();
    consumed.end();
    await new Promise((resolve) => consumed.once('end', resolve));
    expect(await read(consumed, undefined, () => undefined)).toEqual([
      { status: 400, message: 'Request body could not be read' },
    ]);
  });

  it('reports a sender that left mid-body as aborted, whether by a reset or a close', async () => {
    const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    expect(
      await read(new PassThrough(), '50', (stream) => {
        stream.write('{"a":');
        stream.destroy(reset);
      }),
    ).toEqual([{ aborted: true }]);
    expect(
      await read(new PassThrough(), '50', (stream) => {
        stream.write('{"a":');
        stream.destroy();
      }),
    ).toEqual([{ aborted: true }]);
  });

  it('cuts off a body still incomplete after the time limit with 408, and only once', async () => {
    const stream = new PassThrough();
    const results = await read(
      stream,
      '50',
      (s) => {
        s.write('{"a":');
        const trickle = setInterval(() => s.write(' '), 10);
        s.once('pause', () => clearInterval(trickle));
      },
      { limit: 100, deadlines: new BodyDeadlines(60) },
    );
    expect(results).toEqual([{ status: 408, message: 'Request body was not received within 60 ms' }]);
    stream.end(' '.repeat(40));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(results).toHaveLength(1);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('clears its deadline once the body is read', async () => {
    const limits = { limit: 100, deadlines: new BodyDeadlines(5_000) };
    const stream = new PassThrough();
    const results: WebhookBodyRead[] = [];
    readWebhookBody(stream, '/x', '2', limits, (result) => results.push(result));
    expect(limits.deadlines.size).toBe(1);
    stream.end('{}');
    await new Promise((resolve) => setImmediate(resolve));
    expect(results).toEqual([{ body: Buffer.from('{}') }]);
    expect(limits.deadlines.size).toBe(0);
  });
});
