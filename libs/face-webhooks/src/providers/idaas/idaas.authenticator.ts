import type { WebhookAuthResult, WebhookRequest } from '../../contracts/face-webhook-provider.interface.js';
import type { FaceWebhookRefusalReason } from '../../contracts/refusal-reason.js';
import { checkContentDigest } from './idaas-content-digest.js';
import { checkLegacySignature, checkMessageSignature } from './idaas-message-signature.js';
import { rebuildTargetUri, type TargetUriSource } from './idaas-target-uri.js';

export interface IdaasAuthentication extends TargetUriSource {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  readonly acceptLegacySignature: boolean;
  readonly nowSeconds?: number;
}

const fail = (code: FaceWebhookRefusalReason, reason: string): WebhookAuthResult => ({
  ok: false,
  code,
  reason,
});

/**
 * Authenticates an IDaaS delivery: RFC 9421 message signature over the rebuilt request with the
 * RFC 9530 Content-Digest of the raw body, or, for legacy tenants when allowed and only when no
 * RFC 9421 headers are present, `x-sha2-signature`. A failure's reason names the `@target-uri` that
 * was rebuilt, so a proxy misconfiguration shows in the log.
 */
export function authenticateIdaas(request: WebhookRequest, config: IdaasAuthentication): WebhookAuthResult {
  const headers = request.headers;
  if (headers['signature-input'] === undefined && headers['signature'] === undefined) {
    if (headers['x-sha2-signature'] === undefined) {
      return fail('missing_credentials', 'no Signature-Input or Signature header');
    }
    if (!config.acceptLegacySignature) {
      return fail('legacy_signature_disabled', 'x-sha2-signature sent, but acceptLegacySignature is off');
    }
    return checkLegacySignature(headers['x-sha2-signature'], request.rawBody, config.secrets) ?? { ok: true };
  }
  const digestProblem = checkContentDigest(headers['content-digest'], request.rawBody);
  if (digestProblem) return fail('digest_mismatch', digestProblem);
  return authenticateIdaasSignature(request, config);
}

/**
 * The RFC 9421 part of {@link authenticateIdaas}: the signature over the method, the rebuilt
 * `@target-uri` and the `Content-Digest` header as sent, with its time, whether or not the body
 * matches that digest (the caller checks it first).
 */
export function authenticateIdaasSignature(
  request: WebhookRequest,
  config: IdaasAuthentication,
): WebhookAuthResult {
  const headers = request.headers;
  const targetUri = rebuildTargetUri(request, config);
  if (!targetUri)
    return fail('target_uri_unavailable', 'cannot rebuild @target-uri: the request has no usable Host');
  const verified = checkMessageSignature(
    { method: request.method, targetUri, headers, requestTarget: request.url },
    config,
  );
  if ('ok' in verified)
    return fail(verified.code, `${verified.reason} (rebuilt @target-uri ${targetUri.uri})`);
  // Without `created` the signature has no time; the provider then bounds the event's age instead.
  if (verified.created === undefined) return { ok: true };
  const freshUntil = verified.created + config.toleranceSeconds;
  return {
    ok: true,
    freshUntilMs: Math.min(freshUntil, verified.expires ?? freshUntil) * 1000,
  };
}
