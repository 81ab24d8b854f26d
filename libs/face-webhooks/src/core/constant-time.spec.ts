import { bytesEqual, matchesAnySecret } from './constant-time.js';

describe('constant-time comparisons', () => {
  it('matches a secret against any of the accepted ones', () => {
    expect(matchesAnySecret('b', ['a', 'b'])).toBe(true);
    expect(matchesAnySecret('a', ['a'])).toBe(true);
  });

  it.each([['c'], [''], ['aa'], ['A'], ['a ']])('refuses %j', (presented) => {
    expect(matchesAnySecret(presented, ['a', 'b'])).toBe(false);
  });

  it('refuses everything when nothing is accepted', () => {
    expect(matchesAnySecret('', [])).toBe(false);
  });

  it('compares byte strings of different lengths without throwing', () => {
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
  });
});
