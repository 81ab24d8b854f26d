import { BadRequestException } from '@nestjs/common';
import secureJson from 'secure-json-parse';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a webhook body: strict UTF-8, JSON, an object at the top, and no `__proto__` or
 * `constructor.prototype` keys (they could poison the objects built from it). Anything else: 400.
 */
export function parseJsonObject(rawBody: Buffer): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw new BadRequestException('Request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const forbidden = error instanceof SyntaxError && /prototype/i.test(error.message);
    throw new BadRequestException(
      forbidden
        ? 'Request body contains a forbidden key (__proto__ or constructor.prototype)'
        : 'Request body is not valid JSON',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestException('Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
