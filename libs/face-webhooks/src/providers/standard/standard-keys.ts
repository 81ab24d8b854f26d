import { createPublicKey, type KeyObject } from 'node:crypto';

/** Standard base64 (`+`, `/`), padding optional: how the spec serialises keys and signatures. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes standard base64 strictly: the standard alphabet only (a URL-safe `-` or `_` is refused,
 * as the reference library refuses it), `=` only at the end and only where padding goes, no
 * whitespace. `undefined` when the text is not base64.
 */
export function decodeBase64(text: string): Buffer | undefined {
  // Under four characters is refused too, as the reference library's decoder refuses it.
  if (text.length < 4 || !BASE64.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '');
  const padding = text.length - unpadded.length;
  // A length of 4n+1 characters is never base64; padding, when present, must complete a quartet.
  if (unpadded.length % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) return undefined;
  return Buffer.from(unpadded, 'base64');
}

/** The prefixes the spec gives serialised keys. */
export const SECRET_PREFIX = 'whsec_';
export const PUBLIC_KEY_PREFIX = 'whpk_';
export const SECRET_KEY_PREFIX = 'whsk_';

/**
 * The HMAC key of a `v1` secret: `whsec_<base64>` decoded, as the reference library does it; the
 * prefix may be left out (the library strips it when present). `undefined` when it is not base64
 * or decodes to nothing.
 */
export function decodeSecret(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = decodeBase64(encoded);
  return key !== undefined && key.length > 0 ? key : undefined;
}

/**
 * The Ed25519 public key of a `v1a` key: `whpk_<base64 of the 32 raw bytes>` (the prefix may be left
 * out). `undefined` when it is not that.
 */
export function decodePublicKey(publicKey: string): KeyObject | undefined {
  const encoded = publicKey.startsWith(PUBLIC_KEY_PREFIX)
    ? publicKey.slice(PUBLIC_KEY_PREFIX.length)
    : publicKey;
  const raw = decodeBase64(encoded);
  if (raw?.length !== 32) return undefined;
  try {
    return createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return undefined;
  }
}
