export {
  VeriffDecisionWebhookDto,
  VeriffEventWebhookDto,
  VeriffVerificationDto,
} from './veriff-event.dto.js';
export type { VeriffEventBody } from './veriff.definition.js';
export {
  VERIFF_DECISION_CODES,
  VERIFF_DECISION_EVENT_TYPES,
  VERIFF_EVENT_CODES,
  VERIFF_EVENT_TYPES,
  VERIFF_SESSION_EVENT_TYPES,
  type VeriffDecisionEventType,
  type VeriffDecisionStatus,
  type VeriffEventAction,
  type VeriffEventType,
  type VeriffSessionEventType,
} from './veriff.events.js';
export type { VeriffTenantSettings, VeriffWebhookOptions } from './veriff.options.js';
export { VeriffWebhookGuard } from './veriff-webhook.guard.js';
