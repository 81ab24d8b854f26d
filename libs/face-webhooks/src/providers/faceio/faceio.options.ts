import type { CommonProviderOptions } from '../../core/provider-options.interface.js';
/** FACEIO settings. Presence of the `faceio` key enables the provider (unless `enabled: false`). */
export interface FaceioWebhookOptions extends CommonProviderOptions {
  /**
   * The application's webhook token from the FACEIO Console, or several while rotating: a request
   * passes when it carries any of them.
   */
  readonly token: string | readonly string[];
  /** When set, only deliveries whose body `appId` is one of these are accepted (others: 401). */
  readonly appId?: string | readonly string[];
}

/**
 * How long an identical body counts as a duplicate: FACEIO sends no event id, and a second AUTH of
 * the same user on the same day has the same body, so it is short.
 */
export const FACEIO_DEFAULT_DEDUPLICATION_TTL_MS = 60_000;
