export {
  SumsubApplicantEventDto,
  SumsubApplicantReviewedEventDto,
  SumsubFinalReviewResultDto,
  SumsubReviewResultDto,
  SumsubWebhookEventDto,
} from './sumsub-event.dto.js';
export { sumsubEventKey, type SumsubEventBody } from './sumsub.definition.js';
export {
  SUMSUB_EVENT_TYPES,
  type SumsubEventType,
  type SumsubReviewAnswer,
  type SumsubReviewRejectType,
  type SumsubReviewStatus,
} from './sumsub.events.js';
export {
  SUMSUB_DEFAULT_DEDUPLICATION_TTL_MS,
  SUMSUB_DEFAULT_MAX_EVENT_AGE_SECONDS,
  type SumsubTenantSettings,
  type SumsubWebhookOptions,
} from './sumsub.options.js';
export { SumsubWebhookGuard } from './sumsub-webhook.guard.js';
