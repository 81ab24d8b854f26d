import { createHmac } from 'node:crypto';
import { serializeDictionary, type InnerList, type Parameters } from 'structured-headers';
import { contentDigestOf } from './idaas-content-digest.js';
import { parseTargetUri } from './idaas-target-uri.js';
import {
  buildSignatureBase,
  IDAAS_REQUIRED_COMPONENTS,
  IDAAS_SIGNATURE_ALGORITHM,
  IDAAS_SIGNATURE_LABEL,
} from './idaas-message-signature.js';

/** A request as IDaaS would send it: headers and the exact body bytes. */
export interface SignedIdaasRequest {
  /** Lower-case header names and values to send: `content-type`, and `Content-Digest`, `Signature-Input` and `Signature` (or the legacy `X-SHA2-Signature`). */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/** What {@link signIdaasRequest} signs, and the knobs to produce a wrong signature on purpose. */
export interface IdaasSigningInput {
  /** The webhook's secret token, the HMAC key. */
  readonly secret: string;
  /** The full URL the request is posted to: it is signed as `@target-uri`. */
  readonly url: string;
  /** The body; an object is serialised with `JSON.stringify`, a string is sent as is. */
  readonly body: object | string;
  /** Unix seconds; default now. `null` leaves `created` out. */
  readonly created?: number | null;
  /** Unix seconds; default none. */
  readonly expires?: number;
  /** Default `POST`. */
  readonly method?: string;
  /** For negative tests: another signature label than the profile's. */
  readonly label?: string;
  /** For negative tests: the `alg` parameter (default `hmac-sha256`); `null` leaves it out. */
  readonly alg?: string | null;
  /** For negative tests: the covered components (default `@method`, `@target-uri`, `content-digest`). */
  readonly components?: readonly string[];
}

/**
 * Signs a delivery exactly as the IDaaS profile does: `Content-Digest: sha-256=:...:`, and an
 * RFC 9421 `sig` over `@method`, `@target-uri` and `content-digest` with `created` and
 * `alg="hmac-sha256"`, HMAC-SHA256 keyed with the secret token, base64.
 */
export function signIdaasRequest(input: IdaasSigningInput): SignedIdaasRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const method = input.method ?? 'POST';
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-digest': contentDigestOf(body),
  };
  const parameters: Parameters = new Map();
  const created = input.created === undefined ? Math.floor(Date.now() / 1000) : input.created;
  if (created !== null) parameters.set('created', created);
  if (input.expires !== undefined) parameters.set('expires', input.expires);
  const alg = input.alg === undefined ? IDAAS_SIGNATURE_ALGORITHM : input.alg;
  if (alg !== null) parameters.set('alg', alg);
  const components = input.components ?? IDAAS_REQUIRED_COMPONENTS;
  const signatureParams: InnerList = [components.map((name) => [name, new Map()]), parameters];
  // Signed as written: the sender signs the URI it uses, without normalising it.
  const targetUri = parseTargetUri(input.url);
  if (!targetUri) throw new Error(`signIdaasRequest: ${input.url} is not an absolute URL`);
  const base = buildSignatureBase(signatureParams, {
    method,
    targetUri,
    headers,
    requestTarget: targetUri.originForm,
  });
  const signature = createHmac('sha256', input.secret).update(base).digest();
  const label = input.label ?? IDAAS_SIGNATURE_LABEL;
  headers['signature-input'] = serializeDictionary(new Map([[label, signatureParams]]));
  headers['signature'] = serializeDictionary(new Map([[label, [signature, new Map()]]]));
  return { headers, body };
}

/** Signs a delivery the way legacy tenants do: `x-sha2-signature`, hex HMAC-SHA256 of the body. */
export function signIdaasLegacyRequest(input: { secret: string; body: object | string }): SignedIdaasRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  return {
    headers: {
      'content-type': 'application/json',
      'x-sha2-signature': createHmac('sha256', input.secret).update(body).digest('hex'),
    },
    body,
  };
}
