import type { VeriffDecisionWebhookDto, VeriffEventWebhookDto } from './veriff-event.dto.js';

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
} from './veriff.event-types.js';

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** Decision webhook, code 9001: the end user's identity is verified. */
    'veriff.decision.approved': VeriffDecisionWebhookDto;
    /** Decision webhook, code 9102: verification failed (fraud, mismatching data, ...); final. */
    'veriff.decision.declined': VeriffDecisionWebhookDto;
    /** Decision webhook, code 9103: the end user must try again (bad photo, wrong document, ...). */
    'veriff.decision.resubmission_requested': VeriffDecisionWebhookDto;
    /** Decision webhook, code 9104: the session was never submitted in time. */
    'veriff.decision.expired': VeriffDecisionWebhookDto;
    /** Decision webhook, code 9104: the end user started and left the flow. */
    'veriff.decision.abandoned': VeriffDecisionWebhookDto;
    /** Decision webhook, code 9121: waiting for a manual review; a final decision follows. */
    'veriff.decision.review': VeriffDecisionWebhookDto;
    /** Event webhook, code 7001: the end user started the flow. */
    'veriff.event.started': VeriffEventWebhookDto;
    /** Event webhook, code 7002: the end user submitted the session; a decision follows. */
    'veriff.event.submitted': VeriffEventWebhookDto;
  }
}
