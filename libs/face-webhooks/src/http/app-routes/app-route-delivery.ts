import type { FaceEvent } from '../../contracts/face-event.interface.js';
import type { AuthenticatedDelivery, WebhookAck } from '../../pipeline/delivery.js';
import type { DeliveryTrace } from '../../observability/face-webhooks.telemetry.js';

/**
 * One delivery to an app's own route, as its steps hand it on: the guard authenticates it, the
 * pipe turns it into the event, the pipeline settles that event, the interceptor ends its trace.
 */
export interface AppRouteDelivery {
  /** What the authenticate stage found (the tenant's own settings when the route has a tenant). */
  readonly authenticated: AuthenticatedDelivery;
  readonly trace: DeliveryTrace;
  /** Set by the pipe. */
  event?: FaceEvent;
  /** Until when this exact request would authenticate again (set by the pipe). */
  freshUntilMs?: number;
  /** What `FaceWebhookPipeline.process()` answered, if the handler called it. */
  ack?: WebhookAck;
}

const ON_REQUEST = Symbol('nestjs-face-webhooks.app-route-delivery');
/** Events the pipe made, so the pipeline settles only events that were authenticated and validated. */
const BY_EVENT = new WeakMap<FaceEvent, AppRouteDelivery>();

export function attachDelivery(request: object, delivery: AppRouteDelivery): void {
  (request as { [ON_REQUEST]?: AppRouteDelivery })[ON_REQUEST] = delivery;
}

export function deliveryOfRequest(request: object): AppRouteDelivery | undefined {
  return (request as { [ON_REQUEST]?: AppRouteDelivery })[ON_REQUEST];
}

export function rememberEvent(delivery: AppRouteDelivery, event: FaceEvent, freshUntilMs: number): void {
  delivery.event = event;
  delivery.freshUntilMs = freshUntilMs;
  BY_EVENT.set(event, delivery);
}

export function deliveryOfEvent(event: object): AppRouteDelivery | undefined {
  return BY_EVENT.get(event as FaceEvent);
}
