import { BadRequestException } from '@nestjs/common';
import { MAX_JSON_DEPTH, parseJsonObject } from './json-body.js';

const messageOf = (body: string | Buffer): string => {
  try {
    parseJsonObject(Buffer.isBuffer(body) ? body : Buffer.from(body));
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).message;
  }
  throw new Error('expected a 400');
};

describe('parseJsonObject', () => {
  it('parses a JSON object, keeping a BOM-free UTF-8 text intact', () => {
    expect(parseJsonObject(Buffer.from('{"name":"Zoë","n":1}'))).toEqual({ name: 'Zoë', n: 1 });
  });

  it.each([
    ['truncated JSON', '{"a":', 'not valid JSON'],
    ['an empty body', '', 'not valid JSON'],
    ['an array', '[1]', 'JSON object'],
    ['a string', '"text"', 'JSON object'],
    ['null', 'null', 'JSON object'],
    ['a __proto__ key', '{"a":{"__proto__":{"x":1}}}', 'forbidden key'],
    ['a constructor.prototype key', '{"constructor":{"prototype":{"x":1}}}', 'forbidden key'],
    ['a nested constructor key of another type', '{"":{"constructor":" "}}', 'forbidden key'],
    ['a constructor key in an array', '{"a":[{"constructor":1}]}', 'forbidden key'],
    ['a constructor key spelled with an escape', '{"a":{"\\u0063onstructor":" "}}', 'forbidden key'],
    ['a __proto__ key spelled with an escape', '{"a":{"\\u005f_proto__":{}}}', 'forbidden key'],
  ])('refuses %s', (_name, body, message) => expect(messageOf(body)).toContain(message));

  it('refuses invalid UTF-8 instead of replacing it', () => {
    expect(messageOf(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toContain('UTF-8');
  });

  it('refuses JSON nested deeper than MAX_JSON_DEPTH, counting only brackets outside strings', () => {
    const nested = (depth: number) => `{"p":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(parseJsonObject(Buffer.from(nested(MAX_JSON_DEPTH)))).toBeDefined();
    expect(messageOf(nested(MAX_JSON_DEPTH + 1))).toContain('nested more than');
    expect(messageOf(`{"a":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`)).toContain('nested more than');
    const brackets = '[{'.repeat(50);
    expect(parseJsonObject(Buffer.from(`{"text":"${brackets}","escaped":"\\"[[["}`))).toEqual({
      text: brackets,
      escaped: '"[[[',
    });
  });

  it('checks a long array for constructor keys without overflowing the stack', () => {
    // A \u escape makes the key walk run; 500,000 items is far past what push(...items) survives.
    const items = new Array(500_000).fill(0);
    const body = `{"a":${JSON.stringify(items)},"b":"\\u0041"}`;
    expect(parseJsonObject(Buffer.from(body))).toEqual({ a: items, b: 'A' });
    expect(messageOf(`{"b":{"constructor":1},"a":${JSON.stringify(items)},"c":"\\u0041"}`)).toContain(
      'forbidden key',
    );
  });

  it('leaves Object.prototype alone', () => {
    expect(() => parseJsonObject(Buffer.from('{"__proto__":{"polluted":1}}'))).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
