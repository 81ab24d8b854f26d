/**
 * The provider-neutral envelope every handler receives.
 *
 * @typeParam TType - the event type, `'<provider>.<provider's own type>'`, e.g. `'faceio.ENROLL'`.
 * @typeParam TData - the validated body (an instance of the provider's DTO class).
 */
export interface FaceEvent<TType extends string = string, TData = unknown> {
  /** The provider that sent the delivery: the first segment of `type` (`'faceio'`). */
  readonly provider: TType extends `${infer P}.${string}` ? P : string;
  /** `'<provider>.<type>'`, e.g. `'faceio.ENROLL'` or `'facesign.media.user_photo'`. */
  readonly type: TType;
  /**
   * The de-duplication key: the provider's event id, or a digest of the raw body for providers that
   * send none (FACEIO). Handlers that must be idempotent can key their own writes on it.
   */
  readonly id: string;
  /** When the provider says the event happened; `receivedAt` when it does not say. */
  readonly occurredAt: Date;
  /** When this process received the delivery. */
  readonly receivedAt: Date;
  /** The body, validated against the provider's DTO. */
  readonly data: TData;
  /** The exact bytes that were received and authenticated. */
  readonly raw: Buffer;
  /**
   * The tenant the delivery was for (`POST /<basePath>/<provider>/<tenant>`, a provider with
   * `tenants`); absent on the route without a tenant.
   */
  readonly tenant?: string;
}
