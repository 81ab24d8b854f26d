import type { FaceWebhookRefusalReason } from '../contracts/refusal-reason.js';

/** Each refusal reason in words, for the console's detail view. */
export const REFUSAL_WORDS: Record<FaceWebhookRefusalReason, string> = {
  missing_credentials: 'The request had no credential header at all.',
  malformed_credentials: 'The credential header could not be read (wrong shape, repeated or unparsable).',
  token_mismatch: 'The bearer token matches none of the configured tokens: was it rotated on one side only?',
  signature_mismatch:
    'No signature matches under any configured secret: was the secret rotated on one side only?',
  timestamp_outside_window:
    'The signed time is outside the accepted window (too old, in the future or expired).',
  digest_mismatch: 'The Content-Digest header is missing or does not match the body.',
  target_uri_unavailable: 'The signed URL could not be rebuilt: the request had no usable Host.',
  legacy_signature_disabled: 'A legacy signature was sent while legacy signatures are turned off.',
  event_too_old: 'The event time is older than the accepted age, or ahead of now.',
  unknown_app_id: 'The application id is not among the configured ones.',
  source_not_allowed:
    'The request came from an address outside allowedSourceIps (or its address could not be told).',
  tenant_refused:
    'On a tenant route: the tenant is unknown or the credentials failed (metrics count both alike).',
  unknown_tenant: 'The route names a tenant the tenant lookup does not know.',
  invalid_body: 'The body is not valid JSON or fails validation.',
  body_too_large: 'The body is larger than the configured limit.',
  body_timeout: 'The body did not arrive in time.',
  unsupported_encoding: 'The body was compressed, which is not accepted.',
};
