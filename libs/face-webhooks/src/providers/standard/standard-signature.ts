import { createHmac, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bytesEqual } from '../../contracts/constant-time.js';
import type { WebhookAuthResult } from '../../contracts/face-webhook-provider.interface.js';
import { decodeBase64 } from './standard-keys.js';

/** A `webhook-id`: 1 to 256 printable ASCII characters, no spaces. */
const MESSAGE_ID = /^[\x21-\x7e]{1,256}$/;
/** A `webhook-timestamp`: whole Unix seconds. */
const TIMESTAMP = /^\d{1,11}$/;
/** One entry of `webhook-signature`: `<version>,<value>`, neither holding a comma or a space. */
const ENTRY = /^([A-Za-z0-9_-]{1,16}),([^\s,]{1,512})$/;
/** More entries than a sender rotating keys ever sends: refused before any cryptography. */
const MAX_ENTRIES = 32;

/** The three headers, by their spec name, and the Svix name each may also arrive under. */
const HEADERS = {
  id: ['webhook-id', 'svix-id'],
  timestamp: ['webhook-timestamp', 'svix-timestamp'],
  signature: ['webhook-signature', 'svix-signature'],
} as const;

/** What a `webhook-signature` header carries, checked for shape. */
export interface StandardSignatures {
  /** `v1` entries: HMAC-SHA256, 32 bytes each. */
  readonly v1: readonly Buffer[];
  /** `v1a` entries: Ed25519, 64 bytes each. */
  readonly v1a: readonly Buffer[];
}

/**
 * Parses a `webhook-signature` header: a space-separated list of `<version>,<base64>`. Every entry
 * must have that shape (a repeated header, which Node joins with `", "`, does not); `v1` values
 * must be 32 bytes of base64 and `v1a` values 64; entries of other versions are skipped. A header
 * with no `v1` or `v1a` entry is refused. Returns the reason when it fails.
 */
export function parseStandardSignatures(header: string): StandardSignatures | string {
  const entries = header.split(' ').filter((entry) => entry !== '');
  if (entries.length === 0) return 'webhook-signature is empty';
  if (entries.length > MAX_ENTRIES) return `webhook-signature has more than ${MAX_ENTRIES} entries`;
  const v1: Buffer[] = [];
  const v1a: Buffer[] = [];
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    if (!match) return 'webhook-signature has an entry that is not <version>,<signature>';
    const [, version, value] = match as unknown as [string, string, string];
    if (version === 'v1') {
      const signature = decodeBase64(value);
      if (signature?.length !== 32) return 'webhook-signature has a v1 entry that is not 32 bytes of base64';
      v1.push(signature);
    } else if (version === 'v1a') {
      const signature = decodeBase64(value);
      if (signature?.length !== 64) return 'webhook-signature has a v1a entry that is not 64 bytes of base64';
      v1a.push(signature);
    }
  }
  if (v1.length === 0 && v1a.length === 0) return 'webhook-signature has no v1 or v1a entry';
  return { v1, v1a };
}

/** The signed content: `${id}.${timestamp}.${body}`, over the exact body bytes. */
export function signedContent(id: string, timestampText: string, rawBody: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestampText}.`), Buffer.from(rawBody)]);
}

/** `v1`: HMAC-SHA256 of the signed content under the decoded secret. */
export function computeStandardV1(key: Buffer, content: Buffer): Buffer {
  return createHmac('sha256', key).update(content).digest();
}

export interface StandardVerification {
  /** Decoded `v1` secrets (the HMAC keys). */
  readonly secrets: readonly Buffer[];
  /** `v1a` public keys. */
  readonly publicKeys: readonly KeyObject[];
  readonly toleranceSeconds: number;
}

/**
 * One header under its spec name or its Svix name. `undefined` when neither is there; a string
 * reason when it is not a single value, or when both names are there with different values.
 */
function readHeader(
  headers: IncomingHttpHeaders,
  names: readonly [string, string],
): { value: string } | string | undefined {
  const [spec, svix] = names;
  const specValue = headers[spec];
  const svixValue = headers[svix];
  if (specValue === undefined && svixValue === undefined) return undefined;
  if (specValue !== undefined && typeof specValue !== 'string') return `${spec} is not a single header`;
  if (svixValue !== undefined && typeof svixValue !== 'string') return `${svix} is not a single header`;
  if (specValue !== undefined && svixValue !== undefined && specValue !== svixValue) {
    return `${spec} and ${svix} disagree`;
  }
  return { value: (specValue ?? svixValue)! };
}

/**
 * Verifies a Standard Webhooks delivery: the three headers (or their `svix-` names) present and
 * well formed, the timestamp within the tolerance of now in both directions, and one signature of
 * the list valid: a `v1` HMAC under one of the secrets (fixed-length digests compared in constant
 * time), or a `v1a` Ed25519 signature under one of the public keys. Every secret and key is tried
 * against every entry of its version, with no early exit. Returns the `webhook-id` as the event id.
 */
export function verifyStandardRequest(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  options: StandardVerification,
): WebhookAuthResult {
  const id = readHeader(headers, HEADERS.id);
  const timestamp = readHeader(headers, HEADERS.timestamp);
  const signature = readHeader(headers, HEADERS.signature);
  if (signature === undefined)
    return { ok: false, reason: 'no webhook-signature header', code: 'missing_credentials' };
  if (id === undefined) return { ok: false, reason: 'no webhook-id header', code: 'missing_credentials' };
  if (timestamp === undefined) {
    return { ok: false, reason: 'no webhook-timestamp header', code: 'missing_credentials' };
  }
  for (const header of [id, timestamp, signature]) {
    if (typeof header === 'string') return { ok: false, reason: header, code: 'malformed_credentials' };
  }
  const idText = (id as { value: string }).value;
  const timestampText = (timestamp as { value: string }).value;
  if (!MESSAGE_ID.test(idText)) {
    return {
      ok: false,
      reason: 'webhook-id is not 1 to 256 printable ASCII characters without spaces',
      code: 'malformed_credentials',
    };
  }
  if (!TIMESTAMP.test(timestampText)) {
    return {
      ok: false,
      reason: 'webhook-timestamp is not a whole number of seconds',
      code: 'malformed_credentials',
    };
  }
  const parsed = parseStandardSignatures((signature as { value: string }).value);
  if (typeof parsed === 'string') return { ok: false, reason: parsed, code: 'malformed_credentials' };

  const seconds = Number(timestampText);
  const skew = Math.floor(Date.now() / 1000) - seconds;
  if (Math.abs(skew) > options.toleranceSeconds) {
    return {
      ok: false,
      reason: `webhook-timestamp is ${skew > 0 ? 'older' : 'newer'} than ${options.toleranceSeconds}s`,
      code: 'timestamp_outside_window',
    };
  }

  const content = signedContent(idText, timestampText, rawBody);
  let matched = false;
  for (const secret of options.secrets) {
    const expected = computeStandardV1(secret, content);
    for (const presented of parsed.v1) matched = bytesEqual(expected, presented) || matched;
  }
  for (const publicKey of options.publicKeys) {
    for (const presented of parsed.v1a) matched = verifyEd25519(content, publicKey, presented) || matched;
  }
  if (!matched) {
    return {
      ok: false,
      reason: 'no v1 or v1a signature matches a configured secret or public key',
      code: 'signature_mismatch',
    };
  }
  // The same request authenticates until its timestamp leaves the window: the record outlives that.
  return { ok: true, freshUntilMs: (seconds + options.toleranceSeconds) * 1000, eventId: idText };
}

function verifyEd25519(content: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  try {
    return verify(null, content, publicKey, signature);
  } catch {
    return false;
  }
}
