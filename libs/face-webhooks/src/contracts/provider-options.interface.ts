import type { FaceDeliveryMode } from './face-webhooks.tokens.js';

/** Settings every provider has. */
export interface CommonProviderOptions {
  /** Set `false` to keep the settings but serve no route for the provider. Default `true`. */
  readonly enabled?: boolean;
  /** This provider's delivery mode; default the module's `delivery`. */
  readonly delivery?: FaceDeliveryMode;
  /**
   * How long a handled event is remembered, in ms, so a re-delivery is answered as a duplicate.
   * Default: FACEIO 60 000 (it sends no event id: an identical body is the same event), FaceSign
   * and IDaaS 24 h (longer than their retries).
   */
  readonly deduplicationTtlMs?: number;
}
