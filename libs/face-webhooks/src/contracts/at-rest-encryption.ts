import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encryption of what the library stores in Redis (queued jobs' bodies, bodies kept for replay),
 * with keys the app supplies. AES-256-GCM; every stored value names the key it was sealed with,
 * so keys rotate: add the new key, make it `currentKeyId`, and keep the old one until nothing
 * sealed with it is left (the queue's retention and the log's size bound how long that is).
 */
export interface AtRestEncryptionOptions {
  /**
   * Key id to key: 32 random bytes, as a `Buffer` or base64 (`openssl rand -base64 32`). Ids are
   * letters, digits, `_` and `-` (at most 64), and are stored beside each value: never a secret.
   */
  readonly keys: Readonly<Record<string, string | Buffer>>;
  /** The key new values are sealed with; every key in `keys` can still open what it sealed. */
  readonly currentKeyId: string;
}

const PREFIX = 'fwe1';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyBytes(key: string | Buffer): Buffer | undefined {
  if (Buffer.isBuffer(key)) return key.length === 32 ? key : undefined;
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(key.trim())) return undefined;
  const bytes = Buffer.from(key.trim(), 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** What is wrong with `encryptAtRest` (each problem names the setting), or nothing. */
export function atRestEncryptionProblems(options: unknown, setting = 'encryptAtRest'): string[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null) {
    return [`${setting} must be { keys: { <id>: <32-byte key> }, currentKeyId }`];
  }
  const { keys, currentKeyId } = options as Partial<AtRestEncryptionOptions>;
  if (typeof keys !== 'object' || keys === null || Object.keys(keys).length === 0) {
    return [`${setting}.keys must map at least one key id to a key`];
  }
  const problems: string[] = [];
  for (const [id, key] of Object.entries(keys)) {
    if (!KEY_ID.test(id)) {
      problems.push(`${setting}.keys: key id "${id}" must be letters, digits, _ or - (at most 64)`);
    }
    if (keyBytes(key) === undefined) {
      problems.push(
        `${setting}.keys.${id} must be 32 bytes: a Buffer, or base64 of 32 random bytes (openssl rand -base64 32)`,
      );
    }
  }
  if (typeof currentKeyId !== 'string' || !Object.hasOwn(keys, currentKeyId)) {
    problems.push(`${setting}.currentKeyId must be one of the ids in ${setting}.keys`);
  }
  return problems;
}

/** Raised when a stored value cannot be opened: unknown key id, wrong key, or tampered bytes. */
export class AtRestDecryptionError extends Error {
  /** Always `'AtRestDecryptionError'`. */
  override readonly name = 'AtRestDecryptionError';
}

/**
 * Seals and opens stored values. Without options it stores values as they are (base64), and opens
 * both forms, so encryption can be turned on over a queue that still holds plain jobs. `context`
 * is bound to the value (GCM additional data): a value moved to another record does not open.
 */
export class AtRestCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKeyId?: string;

  constructor(options?: AtRestEncryptionOptions) {
    if (!options) return;
    const problems = atRestEncryptionProblems(options);
    if (problems.length > 0) throw new Error(problems.join('; '));
    for (const [id, key] of Object.entries(options.keys)) this.keys.set(id, keyBytes(key)!);
    this.currentKeyId = options.currentKeyId;
  }

  /** True when values are encrypted. */
  get enabled(): boolean {
    return this.currentKeyId !== undefined;
  }

  /**
   * Seals a value for storage: `fwe1.<key id>.<iv>.<ciphertext>.<tag>` under the current key, or
   * plain base64 when encryption is off.
   *
   * @param plain - The bytes to store.
   * @param context - What the value is bound to (the record it belongs to); `open()` needs the same.
   */
  seal(plain: Buffer, context: string): string {
    if (this.currentKeyId === undefined) return plain.toString('base64');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return [PREFIX, this.currentKeyId, iv, sealed, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /**
   * Opens what `seal()` stored, encrypted or plain base64.
   *
   * @param stored - The stored text.
   * @param context - The context it was sealed with.
   * @throws {@link AtRestDecryptionError} when the key id is unknown, the key is another, or the bytes
   * or the context changed.
   */
  open(stored: string, context: string): Buffer {
    if (!stored.startsWith(`${PREFIX}.`)) return Buffer.from(stored, 'base64');
    const [, keyId, iv, sealed, tag, ...rest] = stored.split('.');
    if (rest.length > 0 || !keyId || iv === undefined || sealed === undefined || tag === undefined) {
      throw new AtRestDecryptionError('a stored value is not a sealed value of this library');
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new AtRestDecryptionError(
        `a stored value was sealed with key "${keyId}", which encryptAtRest.keys does not have`,
      );
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new AtRestDecryptionError('a stored value is not a sealed value of this library');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]);
    } catch {
      throw new AtRestDecryptionError(
        `a stored value sealed with key "${keyId}" does not open: another key under that id, or changed bytes`,
      );
    }
  }
}
