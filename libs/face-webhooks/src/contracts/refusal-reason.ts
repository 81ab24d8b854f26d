/**
 * Why a delivery was refused, as a short stable code: the `reason` attribute of spans and metrics
 * and what the delivery log shows. Never a secret or a body; the log line says more.
 */
export type FaceWebhookRefusalReason =
  /** The source address is not in the provider's `allowedSourceIps` (or cannot be told). */
  | 'source_not_allowed'
  /** No credential header at all. */
  | 'missing_credentials'
  /** A credential header that cannot be read (not the expected shape, repeated, unparsable). */
  | 'malformed_credentials'
  /** FACEIO: the bearer token matches no configured token; Veriff: X-AUTH-CLIENT is not the API key. */
  | 'token_mismatch'
  /** FaceSign, IDaaS: no signature matches under any configured secret. */
  | 'signature_mismatch'
  /** The signed time is outside the window (too old, in the future, expired). */
  | 'timestamp_outside_window'
  /** IDaaS: Content-Digest missing or not matching the body. */
  | 'digest_mismatch'
  /** IDaaS: the signed URL cannot be rebuilt (no usable Host). */
  | 'target_uri_unavailable'
  /** IDaaS: a legacy x-sha2-signature while acceptLegacySignature is off. */
  | 'legacy_signature_disabled'
  /**
   * The event's own time is older than maxEventAgeSeconds, or ahead of now (IDaaS without `created`:
   * eventTime; Veriff: decisionTime).
   */
  | 'event_too_old'
  /** FACEIO: appId not among the configured ones. */
  | 'unknown_app_id'
  /** A tenant route whose tenant the lookup does not know (404). */
  | 'unknown_tenant'
  /**
   * Metrics only, on a tenant route: an unknown tenant or a failed authentication (the same 404),
   * so the metrics cannot tell a sender which tenants exist. Spans, the log and the console keep
   * the precise reason.
   */
  | 'tenant_refused'
  /** 400: the body is not valid JSON or fails validation. */
  | 'invalid_body'
  /** 413. */
  | 'body_too_large'
  /** 408: the body did not arrive within bodyTimeoutMs. */
  | 'body_timeout'
  /** 415: a compressed body. */
  | 'unsupported_encoding';
