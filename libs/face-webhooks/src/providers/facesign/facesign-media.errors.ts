/** Why a FaceSign media download did not happen or did not finish. */
export type FaceSignMediaErrorReason =
  'expired' | 'refused' | 'http' | 'content-type' | 'too-large' | 'timeout' | 'network';

/** Why a FaceSign media download did not happen or did not finish. */
export class FaceSignMediaError extends Error {
  /** The media host's HTTP status, for `reason: 'http'`. */
  readonly status?: number;
  /**
   * Whether a later attempt may succeed: a timeout, a network failure, or an HTTP 5xx, 408 or 429
   * from the media host. Everything else (expired URL, a URL or redirect the policy refuses, another
   * content type than announced, too large, other 4xx) fails the same way every time: record it and
   * acknowledge the event, since a 5xx would only make FaceSign retry for an hour for nothing.
   */
  readonly retryable: boolean;

  /**
   * @param message - What happened, with the media id.
   * @param reason - Why: `'expired'`, `'refused'` (a URL or redirect the policy refuses), `'http'`,
   * `'content-type'`, `'too-large'`, `'timeout'` or `'network'`.
   * @param options - The underlying error, and the HTTP status for `reason: 'http'`.
   */
  constructor(
    message: string,
    readonly reason: FaceSignMediaErrorReason,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.name = 'FaceSignMediaError';
    this.status = options?.status;
    this.retryable =
      reason === 'timeout' || reason === 'network' || (reason === 'http' && isTransientStatus(this.status));
  }
}

const isTransientStatus = (status: number | undefined): boolean =>
  status !== undefined && (status >= 500 || status === 408 || status === 429);
