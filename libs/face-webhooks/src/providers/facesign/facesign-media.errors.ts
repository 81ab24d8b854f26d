/** Why a FaceSign media download did not happen or did not finish. */
export class FaceSignMediaError extends Error {
  constructor(
    message: string,
    /** `expired`: too late, retrying cannot help; the others may succeed on a retry. */
    readonly reason: 'expired' | 'refused' | 'http' | 'content-type' | 'too-large' | 'timeout' | 'network',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FaceSignMediaError';
  }
}
