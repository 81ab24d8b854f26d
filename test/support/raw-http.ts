import { connect } from 'node:net';

/**
 * Sends raw bytes and returns what the server answered, once it closes the connection or 1 s has
 * passed. For requests an HTTP client would rewrite (it percent-encodes `'`, refuses an
 * absolute-form request line) or could not send (a body cut short).
 */
export function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(finish, 1_000);
    socket.on('close', finish);
    socket.write(bytes);
  });
}

/** A POST with exactly this request target and these headers (plus Content-Length), then its answer. */
export function rawPost(
  port: number,
  target: string,
  headers: Record<string, string>,
  body: string,
): Promise<string> {
  const lines = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return rawExchange(port, `POST ${target} HTTP/1.1\r\n${lines}connection: close\r\n\r\n${body}`);
}
