import type { FaceDeliveryMode } from './face-webhooks.tokens.js';

/** Settings every provider has. */
export interface CommonProviderOptions {
  /** Set `false` to keep the settings but serve no route for the provider. Default `true`. */
  readonly enabled?: boolean;
  /** This provider's delivery mode; default the module's `delivery`. */
  readonly delivery?: FaceDeliveryMode;
}
