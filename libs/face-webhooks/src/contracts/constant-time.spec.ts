import { bytesEqual, SecretSet } from './constant-time.js';

describe('constant-time comparisons', () => {
  const accepted = new SecretSet(['a', 'b']);

  it('matches a secret against any of the accepted ones', () => {
    expect(accepted.matches('b')).toBe(true);
    expect(accepted.matches('a')).toBe(true);
    expect(accepted.matches(Buffer.from('a'))).toBe(true);
  });

  it.each([['c'], [''], ['aa'], ['A'], ['a ']])('refuses %j', (presented) => {
    expect(accepted.matches(presented)).toBe(false);
  });

  it('refuses everything when nothing is accepted', () => {
    expect(new SecretSet([]).matches('')).toBe(false);
  });

  it('compares byte strings of equal and different lengths without throwing', () => {
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(bytesEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });
});
