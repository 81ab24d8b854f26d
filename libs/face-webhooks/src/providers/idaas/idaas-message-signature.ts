import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  isInnerList,
  parseDictionary,
  serializeInnerList,
  serializeItem,
  type Dictionary,
  type InnerList,
  type Item,
  type Parameters,
} from 'structured-headers';
import { bytesEqual } from '../../contracts/constant-time.js';
import type { WebhookAuthFailure } from '../../contracts/face-webhook-provider.interface.js';
import type { FaceWebhookRefusalReason } from '../../contracts/refusal-reason.js';
import type { TargetUri } from './idaas-target-uri.js';

/** The label, algorithm and components the IDaaS signing profile uses. */
export const IDAAS_SIGNATURE_LABEL = 'sig';
export const IDAAS_SIGNATURE_ALGORITHM = 'hmac-sha256';
export const IDAAS_REQUIRED_COMPONENTS = ['@method', '@target-uri', 'content-digest'] as const;

/** What a covered component is resolved against. */
export interface SignedRequestParts {
  readonly method: string;
  readonly targetUri: TargetUri;
  readonly headers: IncomingHttpHeaders;
  /** Path and query exactly as received, for `@request-target`. */
  readonly requestTarget: string;
}

/**
 * The value of one covered component (RFC 9421 section 2): the derived components a request has,
 * or a header field's value (several field lines joined with `, `, trimmed). `undefined` when the
 * request does not have it or we do not support it (then the signature cannot verify).
 */
export function componentValue(name: string, parts: SignedRequestParts): string | undefined {
  const uri = parts.targetUri;
  switch (name) {
    case '@method':
      return parts.method.toUpperCase();
    case '@target-uri':
      return uri.uri;
    case '@authority':
      return uri.authority;
    case '@scheme':
      return uri.scheme;
    case '@request-target':
      return parts.requestTarget;
    case '@path':
      return uri.path;
    case '@query':
      return uri.query;
  }
  if (name.startsWith('@') || name !== name.toLowerCase()) return undefined;
  const value = parts.headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(', ') : value).trim();
}

/**
 * The signature base of RFC 9421 section 2.5: one line per covered component, in order, then the
 * `@signature-params` line, which is the covered list and its parameters serialised again.
 * Throws on what the base cannot be built from (a parameterised or repeated component, a missing
 * one); the message says which.
 */
export function buildSignatureBase(signatureParams: InnerList, parts: SignedRequestParts): string {
  return signatureBase(signatureParams[0], serializeInnerList(signatureParams), parts);
}

/** The serialised names of the components IDaaS covers, each as its base line begins (`"@method": `). */
const LINE_STARTS: ReadonlyMap<string, string> = new Map(
  IDAAS_REQUIRED_COMPONENTS.map((name) => [name, `${serializeItem([name, new Map()])}: `]),
);

/** {@link buildSignatureBase} from the covered components and their serialised `@signature-params`. */
function signatureBase(
  components: readonly Item[],
  serializedParams: string,
  parts: SignedRequestParts,
): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const [name, parameters] of components) {
    if (typeof name !== 'string') throw new Error('a covered component is not a string');
    if (parameters.size > 0)
      throw new Error(`covered component "${name}" has parameters, which are not supported`);
    if (seen.has(name)) throw new Error(`covered component "${name}" appears twice`);
    seen.add(name);
    const value = componentValue(name, parts);
    if (value === undefined) throw new Error(`covered component "${name}" is not in the request`);
    lines.push(`${LINE_STARTS.get(name) ?? `${serializeItem([name, parameters])}: `}${value}`);
  }
  lines.push(`"@signature-params": ${serializedParams}`);
  return lines.join('\n');
}

/** A `sig` signature read from the two headers: what it covers, its parameters and its bytes. */
interface SignatureHeaders {
  readonly components: readonly Item[];
  readonly parameters: Parameters;
  /** The covered list and parameters serialised, as the `@signature-params` line needs them. */
  readonly serializedParams: string;
  readonly signature: Buffer;
}

/**
 * The IDaaS profile exactly as IDaaS serialises it, read without a general parser: the one label,
 * the three components in this order, parameters in canonical form (integers without leading
 * zeros, strings without escapes), and a 32-byte signature. Canonical means that serialising what
 * the general parser would make of it gives back the same text, so that text is the
 * `@signature-params` value. Anything else (another order, more labels, spaces, escapes, a repeated
 * parameter) goes to the general parser, which decides. Equivalence is property-tested.
 */
const PROFILE_INPUT =
  /^sig=\("@method" "@target-uri" "content-digest"\)((?:;(?:created|expires)=(?:0|[1-9][0-9]{0,14})|;(?:keyid|alg|nonce|tag)="[\x20\x21\x23-\x5b\x5d-\x7e]*")*)$/;
const PROFILE_PARAMETER = /;([a-z]+)=(?:"([^"]*)"|([0-9]+))/g;
const PROFILE_SIGNATURE = /^sig=:([A-Za-z0-9+/]{43}=):$/;
const PROFILE_COMPONENTS: readonly Item[] = IDAAS_REQUIRED_COMPONENTS.map((name) => [name, new Map()]);

/** The signature when both headers are the canonical IDaaS profile; `undefined` otherwise. */
export function readProfileSignature(input: string, signature: string): SignatureHeaders | undefined {
  const parameterText = PROFILE_INPUT.exec(input)?.[1];
  const base64 = PROFILE_SIGNATURE.exec(signature)?.[1];
  if (parameterText === undefined || base64 === undefined) return undefined;
  const parameters: Parameters = new Map();
  for (const [, key = '', text, integer] of parameterText.matchAll(PROFILE_PARAMETER)) {
    if (parameters.has(key)) return undefined; // the general parser keeps the last one
    parameters.set(key, text ?? Number(integer));
  }
  return {
    components: PROFILE_COMPONENTS,
    parameters,
    serializedParams: input.slice('sig='.length),
    signature: Buffer.from(base64, 'base64'),
  };
}

/** The signature from the general structured-field parser, or why it cannot be read. */
export function readSignatureHeaders(
  input: string,
  signature: string,
): SignatureHeaders | WebhookAuthFailure {
  let inputs: Dictionary;
  let signatures: Dictionary;
  try {
    inputs = parseDictionary(input);
    signatures = parseDictionary(signature);
  } catch {
    return refuse('malformed_credentials', 'Signature-Input or Signature is not a structured dictionary');
  }
  const params = inputs.get(IDAAS_SIGNATURE_LABEL);
  const bytes = signatures.get(IDAAS_SIGNATURE_LABEL);
  if (!params || !bytes) {
    return refuse(
      'malformed_credentials',
      `no signature labelled "${IDAAS_SIGNATURE_LABEL}" (${labelsSent(inputs, signatures)}); ` +
        `IDaaS signs with the label "${IDAAS_SIGNATURE_LABEL}" only`,
    );
  }
  if (!isInnerList(params))
    return refuse('malformed_credentials', 'Signature-Input sig is not a list of components');
  if (isInnerList(bytes) || !(bytes[0] instanceof ArrayBuffer))
    return refuse('malformed_credentials', 'Signature sig is not a byte sequence');
  return {
    components: params[0],
    parameters: params[1],
    serializedParams: serializeInnerList(params),
    signature: Buffer.from(bytes[0]),
  };
}

/**
 * The labels a request used instead, for the log only (the response stays a bare 401): a signer
 * that writes `sig1`, the label RFC 9421's examples use, is the usual cause. Parsed keys are short
 * lower-case tokens; a few are shown, cut to a safe length.
 */
function labelsSent(inputs: Dictionary, signatures: Dictionary): string {
  const list = (dictionary: Dictionary): string => {
    const labels = [...dictionary.keys()];
    if (labels.length === 0) return 'no label';
    const shown = labels.slice(0, 4).map((label) => `"${label.slice(0, 32)}"`);
    return `${shown.join(', ')}${labels.length > 4 ? ', ...' : ''}`;
  };
  return `Signature-Input has ${list(inputs)}, Signature has ${list(signatures)}`;
}

export interface MessageSignatureCheck {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  readonly nowSeconds?: number;
}

const refuse = (code: FaceWebhookRefusalReason, reason: string): WebhookAuthFailure => ({
  ok: false,
  code,
  reason,
});

/** A signature that verified, with the times it was signed with (Unix seconds), if any. */
export interface VerifiedMessageSignature {
  readonly created?: number;
  readonly expires?: number;
}

/**
 * Verifies the `sig` signature of a request against the IDaaS profile: label `sig` in both
 * headers, `alg` (when given) `hmac-sha256`, `@method`, `@target-uri` and `content-digest`
 * covered, `created` within the tolerance and `expires` not passed (when given), and the base64
 * signature equal to HMAC-SHA256 of the rebuilt base under one of the secrets, compared in
 * constant time. Returns the reason when it fails.
 */
export function checkMessageSignature(
  parts: SignedRequestParts,
  check: MessageSignatureCheck,
): WebhookAuthFailure | VerifiedMessageSignature {
  const inputHeader = parts.headers['signature-input'];
  const signatureHeader = parts.headers['signature'];
  if (typeof inputHeader !== 'string' || typeof signatureHeader !== 'string') {
    return refuse('missing_credentials', 'no Signature-Input or Signature header');
  }
  const read =
    readProfileSignature(inputHeader, signatureHeader) ?? readSignatureHeaders(inputHeader, signatureHeader);
  if ('ok' in read) return read;

  const covered = read.components.map(([name]) => name);
  const missing = IDAAS_REQUIRED_COMPONENTS.filter((name) => !covered.includes(name));
  if (missing.length > 0)
    return refuse('malformed_credentials', `signature does not cover ${missing.join(', ')}`);

  const alg = read.parameters.get('alg');
  if (alg !== undefined && alg !== IDAAS_SIGNATURE_ALGORITHM)
    return refuse('malformed_credentials', `signature alg ${String(alg)} is not hmac-sha256`);
  const now = check.nowSeconds ?? Math.floor(Date.now() / 1000);
  const created = read.parameters.get('created');
  if (created !== undefined) {
    if (!Number.isInteger(created))
      return refuse('malformed_credentials', 'signature created is not an integer');
    if (now - (created as number) > check.toleranceSeconds)
      return refuse('timestamp_outside_window', 'signature created is too old');
    if ((created as number) - now > check.toleranceSeconds)
      return refuse('timestamp_outside_window', 'signature created is in the future');
  }
  const expires = read.parameters.get('expires');
  if (expires !== undefined) {
    if (!Number.isInteger(expires))
      return refuse('malformed_credentials', 'signature expires is not an integer');
    if (now > (expires as number)) return refuse('timestamp_outside_window', 'signature has expired');
  }

  let base: string;
  try {
    base = signatureBase(read.components, read.serializedParams, parts);
  } catch (error) {
    return refuse('malformed_credentials', (error as Error).message);
  }
  const presented = read.signature;
  let matched = false;
  for (const secret of check.secrets) {
    matched = bytesEqual(createHmac('sha256', secret).update(base).digest(), presented) || matched;
  }
  if (!matched) return refuse('signature_mismatch', 'signature does not match');
  return { created: created as number | undefined, expires: expires as number | undefined };
}

/** The legacy `x-sha2-signature`: hex HMAC-SHA256 of the raw body. Returns the reason on failure. */
export function checkLegacySignature(
  header: string | string[] | undefined,
  rawBody: Buffer,
  secrets: readonly string[],
): WebhookAuthFailure | undefined {
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header.trim())) {
    return refuse('malformed_credentials', 'x-sha2-signature is not 64 hex digits');
  }
  const presented = Buffer.from(header.trim(), 'hex');
  let matched = false;
  for (const secret of secrets) {
    matched = bytesEqual(createHmac('sha256', secret).update(rawBody).digest(), presented) || matched;
  }
  return matched ? undefined : refuse('signature_mismatch', 'x-sha2-signature does not match');
}
