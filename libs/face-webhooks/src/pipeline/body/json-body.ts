import { BadRequestException } from '@nestjs/common';
import secureJson from 'secure-json-parse';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Deepest nesting of objects and arrays accepted. Provider bodies are a few levels deep; FACEIO's
 * `payload` is any JSON, but nothing legitimate nests this far, and deeper input would exhaust the
 * stack of the recursive code that turns it into DTOs.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** The deepest nesting in JSON bytes, counting brackets outside strings (UTF-8 safe: no ASCII inside multi-byte). */
function nestingDepth(bytes: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > deepest) deepest = depth;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses a webhook body: strict UTF-8, JSON, an object at the top, nested at most
 * {@link MAX_JSON_DEPTH} deep, and no `__proto__` or `constructor` keys (they could poison the
 * objects built from it). Anything else: 400.
 */
export function parseJsonObject(rawBody: Buffer): Record<string, unknown> {
  if (nestingDepth(rawBody) > MAX_JSON_DEPTH) {
    throw new BadRequestException(`Request body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw new BadRequestException('Request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    // secure-json-parse refuses `__proto__` keys (also when spelled with escapes); `constructor` keys
    // are ours to refuse below, whatever their value, so its narrower constructor scan is skipped.
    value = secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'ignore' });
  } catch (error) {
    const forbidden = error instanceof SyntaxError && /prototype/i.test(error.message);
    throw new BadRequestException(
      forbidden ? 'Request body contains a forbidden key (__proto__)' : 'Request body is not valid JSON',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestException('Request body must be a JSON object');
  }
  // A `constructor` key of any value makes the DTO conversion call it as a class (a 500). The walk
  // is needed only when the text could spell one: plainly, or with a \u escape.
  if ((text.includes('constructor') || text.includes('\\u')) && hasKey(value, 'constructor')) {
    throw new BadRequestException('Request body contains a forbidden key (constructor)');
  }
  return value as Record<string, unknown>;
}

/** Whether `key` is an own key anywhere in a parsed JSON value (iterative: depth is already bounded). */
function hasKey(root: object, key: string): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (!Array.isArray(value) && Object.hasOwn(value, key)) return true;
    // One at a time: spreading a large array into push() overflows the stack (a RangeError, a 500).
    for (const child of Object.values(value)) pending.push(child);
  }
  return false;
}
