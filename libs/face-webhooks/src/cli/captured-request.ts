import { UsageError } from '../testing/face-event-catalog.js';

/** A request as captured: request line, headers, blank line, then the exact body bytes. */
export interface CapturedRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Reads an HTTP/1.1 request message (`POST /webhooks/idaas HTTP/1.1`, header lines, a blank line,
 * the body), as printed by a proxy log, `nc -l` or `curl --trace-ascii`. Line ends may be CRLF or LF;
 * repeated headers are joined with `, ` as Node does; the body is kept byte for byte.
 */
export function parseCapturedRequest(file: Buffer): CapturedRequest {
  const text = file.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) throw new UsageError('the request file has no blank line between headers and body');
  const [requestLine = '', ...headerLines] = text.slice(0, match.index).split(/\r?\n/);
  const [method, target] = requestLine.split(' ');
  if (!method || !target)
    throw new UsageError(
      `the request file does not start with a request line: "${requestLine.slice(0, 80)}"`,
    );
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UsageError(`not a header line: "${line.slice(0, 80)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { method, target, headers, body: file.subarray(match.index + match[0].length) };
}
