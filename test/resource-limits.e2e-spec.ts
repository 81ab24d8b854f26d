import { connect, type AddressInfo, type Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { FaceWebhooksModule } from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

// Senders that hold connections open or send too much, over raw sockets.
const TOKEN = 'limits-token';
const head = (headers: Record<string, string | number>) =>
  `POST /webhooks/faceio HTTP/1.1\r\nHost: localhost\r\nWWW-Authenticate: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n${Object.entries(
    headers,
  )
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

/** Opens a socket and collects what the server answers, until it closes the connection. */
function open(port: number): { socket: Socket; answer: Promise<string>; closed: () => boolean } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let isClosed = false;
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined); // the server may reset a connection it refused
  const answer = new Promise<string>((resolve) =>
    socket.on('close', () => {
      isClosed = true;
      resolve(text);
    }),
  );
  return { socket, answer, closed: () => isClosed };
}

describe.each(ADAPTERS)('resource limits (%s)', (adapter) => {
  let app: INestApplication;
  let port: number;
  let handlers: RecordingHandlers;

  beforeAll(async () => {
    ({ app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({ faceio: { token: TOKEN }, bodyLimit: '64kb', bodyTimeoutMs: 500 }),
      ],
      providers: [RecordingHandlers],
    }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    handlers = app.get(RecordingHandlers);
  });
  afterAll(() => app.close());

  it('cuts off a sender that trickles its body, with 408', async () => {
    const { socket, answer } = open(port);
    socket.write(head({ 'Content-Length': 400 }) + '{"eventName":');
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    const started = Date.now();
    const text = await answer;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(handlers.calls).toHaveLength(0);
  });

  it('refuses a body declared larger than the limit with 413 without reading it', async () => {
    const { socket, answer } = open(port);
    socket.write(head({ 'Content-Length': 50 * 1024 * 1024 }));
    socket.write(Buffer.alloc(16 * 1024, 0x20)); // a sliver of the 50 MiB announced
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('refuses an undeclared (chunked) body once it passes the limit, before it ends', async () => {
    const { socket, answer } = open(port);
    socket.write(head({ 'Transfer-Encoding': 'chunked' }));
    const chunk = Buffer.alloc(8 * 1024, 0x20);
    for (let sent = 0; sent < 256 * 1024 && socket.writable; sent += chunk.length) {
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      socket.write('\r\n');
    }
    // No last chunk: the body never ends, yet the answer comes as soon as the limit is passed.
    expect(await answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('keeps serving while many slow senders hold connections, then drops them all', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const slow = Array.from({ length: 200 }, () => {
      const connection = open(port);
      connection.socket.write(head({ 'Content-Length': 60_000 }) + ' '.repeat(10_000));
      return connection;
    });
    const signed = signFaceioRequest({
      token: TOKEN,
      body: faceioFixture('AUTH', { facialId: 'while-slow' }),
    });
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/faceio`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(res.status).toBe(200);
    const answers = await Promise.all(slow.map((connection) => connection.answer));
    expect(answers.every((text) => text.startsWith('HTTP/1.1 408 '))).toBe(true);
    // 200 connections with 10 kB each waiting: memory held stays small, and is released.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  }, 20_000);
});
