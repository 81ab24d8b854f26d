import { createHmac, createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';

/** A request as a Standard Webhooks sender would send it: headers and the exact body bytes. */
export interface SignedStandardRequest {
  /** Lower-case header names and values to send: `content-type`, and `webhook-id`, `webhook-timestamp` and `webhook-signature` (or their `svix-` names). */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/** What {@link signStandardWebhookRequest} signs: the body, and `v1` secrets and/or `v1a` keys. */
export interface StandardSigningInput {
  /** The body; pass a string to control the bytes exactly. */
  readonly body: object | string;
  /** `v1` secrets, `whsec_<base64>` (or the bare base64): one `v1,` entry each. */
  readonly secret?: string | readonly string[];
  /**
   * `v1a` signing keys: `whsk_<base64>` of the 32-byte Ed25519 seed (or of the 64-byte seed and
   * public key some libraries write), or a Node `KeyObject`: one `v1a,` entry each.
   */
  readonly privateKey?: string | KeyObject | readonly (string | KeyObject)[];
  /** `webhook-id`; default a fresh `msg_...`. */
  readonly id?: string;
  /** `webhook-timestamp`, Unix seconds; default now. */
  readonly timestamp?: number;
  /** Send the headers under their `svix-` names, as Svix does. Default `'webhook'`. */
  readonly headerNames?: 'webhook' | 'svix';
}

/** PKCS #8 DER of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const asArray = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];

function hmacKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

function ed25519Key(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  const raw = Buffer.from(key.startsWith('whsk_') ? key.slice('whsk_'.length) : key, 'base64');
  if (raw.length !== 32 && raw.length !== 64) {
    throw new Error(
      'a whsk_ key is the base64 of a 32-byte Ed25519 seed (or of 64 bytes: seed and public key)',
    );
  }
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  });
}

/**
 * Signs a delivery the way the Standard Webhooks spec describes: the content
 * `${webhook-id}.${webhook-timestamp}.${body}`, a `v1,<base64 HMAC-SHA256>` entry per secret (the
 * key being the secret's base64 decoded) and a `v1a,<base64 Ed25519 signature>` entry per private
 * key, space-separated in `webhook-signature`. Several entries are what a sender rotating keys sends.
 */
export function signStandardWebhookRequest(input: StandardSigningInput): SignedStandardRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const id = input.id ?? `msg_${randomBytes(16).toString('base64url').replace(/[-_]/g, 'x')}`;
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const content = Buffer.from(`${id}.${timestamp}.${body}`, 'utf8');
  const entries = [
    ...asArray(input.secret).map(
      (secret) => `v1,${createHmac('sha256', hmacKey(secret)).update(content).digest('base64')}`,
    ),
    ...asArray(input.privateKey).map(
      (key) => `v1a,${sign(null, content, ed25519Key(key)).toString('base64')}`,
    ),
  ];
  if (entries.length === 0) throw new Error('signStandardWebhookRequest needs a secret or a privateKey');
  const prefix = input.headerNames === 'svix' ? 'svix' : 'webhook';
  return {
    headers: {
      'content-type': 'application/json',
      [`${prefix}-id`]: id,
      [`${prefix}-timestamp`]: timestamp,
      [`${prefix}-signature`]: entries.join(' '),
    },
    body,
  };
}
