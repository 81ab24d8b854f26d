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
  /**
   * The only addresses this provider may deliver from: IPv4 and IPv6 addresses and CIDR ranges
   * (`['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']`). A delivery from anywhere else is
   * refused (401) before its credentials are checked. The address is the connection's, or, with the
   * module's `trustedProxyHeader`, the one the app's own proxy recorded. Default: any address.
   */
  readonly allowedSourceIps?: readonly string[];
}
