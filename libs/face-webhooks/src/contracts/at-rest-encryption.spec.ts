import { randomBytes } from 'node:crypto';
import { AtRestCipher, AtRestDecryptionError, atRestEncryptionProblems } from './at-rest-encryption.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32);
const body = Buffer.from('{"facialId":"f-1","details":{"age":41}}');

describe('AtRestCipher', () => {
  it('seals with the current key, never storing the plain bytes, and opens what it sealed', () => {
    const cipher = new AtRestCipher({ keys: { k1 }, currentKeyId: 'k1' });
    const sealed = cipher.seal(body, 'faceio:evt-1');
    expect(sealed.startsWith('fwe1.k1.')).toBe(true);
    expect(sealed).not.toContain(body.toString('base64'));
    expect(Buffer.from(sealed).includes('facialId')).toBe(false);
    expect(cipher.open(sealed, 'faceio:evt-1')).toEqual(body);
    // A fresh IV every time.
    expect(cipher.seal(body, 'faceio:evt-1')).not.toBe(sealed);
  });

  it('rotates: the new key seals, the old key still opens what it sealed', () => {
    const before = new AtRestCipher({ keys: { k1 }, currentKeyId: 'k1' });
    const old = before.seal(body, 'c');
    const after = new AtRestCipher({ keys: { k1, k2 }, currentKeyId: 'k2' });
    expect(after.seal(body, 'c').startsWith('fwe1.k2.')).toBe(true);
    expect(after.open(old, 'c')).toEqual(body);
    const withoutOld = new AtRestCipher({ keys: { k2 }, currentKeyId: 'k2' });
    expect(() => withoutOld.open(old, 'c')).toThrow(/key "k1", which encryptAtRest.keys does not have/);
  });

  it('refuses a changed value, another context, another key under the same id, and garbage', () => {
    const cipher = new AtRestCipher({ keys: { k1 }, currentKeyId: 'k1' });
    const sealed = cipher.seal(body, 'faceio:evt-1');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const tampered = [...parts.slice(0, 3), flipped.toString('base64url'), parts[4]].join('.');
    expect(() => cipher.open(tampered, 'faceio:evt-1')).toThrow(AtRestDecryptionError);
    expect(() => cipher.open(sealed, 'faceio:evt-2')).toThrow(AtRestDecryptionError);
    const impostor = new AtRestCipher({ keys: { k1: randomBytes(32) }, currentKeyId: 'k1' });
    expect(() => impostor.open(sealed, 'faceio:evt-1')).toThrow(/does not open/);
    expect(() => cipher.open('fwe1.k1.x', 'c')).toThrow(AtRestDecryptionError);
    expect(() => cipher.open(`${sealed}.extra`, 'faceio:evt-1')).toThrow(AtRestDecryptionError);
  });

  it('without keys stores base64 as before, and with keys still opens values stored before', () => {
    const plain = new AtRestCipher();
    expect(plain.enabled).toBe(false);
    const stored = plain.seal(body, 'c');
    expect(stored).toBe(body.toString('base64'));
    expect(new AtRestCipher({ keys: { k1 }, currentKeyId: 'k1' }).open(stored, 'c')).toEqual(body);
  });

  it('names each problem of the option', () => {
    expect(atRestEncryptionProblems(undefined)).toEqual([]);
    expect(atRestEncryptionProblems({ keys: { k1 }, currentKeyId: 'k1' })).toEqual([]);
    expect(atRestEncryptionProblems('key')).toEqual([expect.stringContaining('encryptAtRest must be')]);
    expect(atRestEncryptionProblems({ keys: {}, currentKeyId: 'k1' })).toEqual([
      'encryptAtRest.keys must map at least one key id to a key',
    ]);
    expect(
      atRestEncryptionProblems({ keys: { 'bad id': k1, short: 'c2hvcnQ=' }, currentKeyId: 'k9' }),
    ).toEqual([
      expect.stringContaining('key id "bad id"'),
      expect.stringContaining('encryptAtRest.keys.short must be 32 bytes'),
      'encryptAtRest.currentKeyId must be one of the ids in encryptAtRest.keys',
    ]);
    expect(() => new AtRestCipher({ keys: { k1: randomBytes(16) }, currentKeyId: 'k1' })).toThrow(/32 bytes/);
  });
});
