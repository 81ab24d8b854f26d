import type { FaceEvent } from '../contracts/face-event.interface.js';
import type {
  FaceWebhookProvider,
  WebhookAuthSuccess,
  WebhookRequest,
} from '../contracts/face-webhook-provider.interface.js';

/** The response body of an accepted delivery. */
export interface WebhookAck {
  /** Always `true`: the delivery was accepted. */
  readonly received: true;
  /** Present when this delivery repeated an event that was already handled or queued. */
  readonly duplicate?: true;
  /** Present when the event was queued for a worker rather than handled before the response. */
  readonly queued?: true;
}

/** A delivery that authenticated: what the parse stage takes. */
export interface AuthenticatedDelivery {
  /** The provider that authenticated it: the tenant's own settings when it came for a tenant. */
  readonly provider: FaceWebhookProvider;
  readonly request: WebhookRequest;
  readonly authenticated: WebhookAuthSuccess;
  readonly tenant?: string;
}

/** An authenticated, validated delivery: what the settle stage takes. */
export interface ParsedDelivery {
  readonly provider: FaceWebhookProvider;
  readonly event: FaceEvent;
  /**
   * Epoch ms until which this exact request would authenticate again (0: it carries no time). Its
   * de-duplication record is kept at least that long, so a replay is refused or recognised.
   */
  readonly freshUntilMs: number;
}

/** How logs name an event: `faceio.ENROLL <id>`, and its tenant when it has one. */
export function eventLabel(event: Pick<FaceEvent, 'type' | 'id' | 'tenant'>): string {
  return event.tenant === undefined
    ? `${event.type} ${event.id}`
    : `${event.type} ${event.id} (tenant ${event.tenant})`;
}

export function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
