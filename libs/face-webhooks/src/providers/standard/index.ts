export {
  StandardWebhookEventDto,
  type StandardEventDataClass,
  type StandardWebhookPayload,
} from './standard-event.dto.js';
export {
  isStandardEventType,
  STANDARD_EVENT_TYPE_MAX_LENGTH,
  STANDARD_EVENT_TYPE_PATTERN,
  STANDARD_FIXTURE_TYPES,
  type StandardFixtureType,
} from './standard.events.js';
export type { StandardTenantSettings, StandardWebhookOptions } from './standard.options.js';
export { StandardWebhookGuard } from './standard-webhook.guard.js';
