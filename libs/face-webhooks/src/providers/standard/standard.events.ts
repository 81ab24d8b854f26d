/**
 * Standard Webhooks has no catalogue of event types: each sender defines its own. So this
 * provider adds nothing to the event map itself; an app declares the types it handles, with the
 * class of their `data`, in the `events` option and in the map:
 *
 * ```ts
 * FaceWebhooksModule.forRoot({ standard: { secret, events: { 'invoice.paid': InvoicePaidData } } });
 *
 * declare module 'nestjs-face-webhooks' {
 *   interface FaceEventMap {
 *     'standard.invoice.paid': StandardWebhookPayload<InvoicePaidData>;
 *   }
 * }
 * ```
 */
export {
  isStandardEventType,
  STANDARD_EVENT_TYPE_MAX_LENGTH,
  STANDARD_EVENT_TYPE_PATTERN,
  STANDARD_FIXTURE_TYPES,
  type StandardFixtureType,
} from './standard.event-types.js';
export type { StandardEventDataClass, StandardWebhookPayload } from './standard-event.dto.js';
