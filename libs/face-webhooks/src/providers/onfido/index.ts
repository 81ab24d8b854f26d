export {
  OnfidoCheckEventDto,
  OnfidoCheckPayloadDto,
  OnfidoObjectDto,
  OnfidoPayloadDto,
  OnfidoReportEventDto,
  OnfidoReportPayloadDto,
  OnfidoResourceDto,
  OnfidoWebhookEventDto,
  OnfidoWorkflowRunEventDto,
  OnfidoWorkflowRunPayloadDto,
  OnfidoWorkflowTaskEventDto,
  OnfidoWorkflowTaskPayloadDto,
} from './onfido-event.dto.js';
export { onfidoEventId, type OnfidoEventBody } from './onfido.definition.js';
export {
  ONFIDO_CHECK_EVENT_TYPES,
  ONFIDO_EVENT_TYPES,
  ONFIDO_REPORT_EVENT_TYPES,
  ONFIDO_WORKFLOW_RUN_EVENT_TYPES,
  ONFIDO_WORKFLOW_TASK_EVENT_TYPES,
  type OnfidoCheckEventType,
  type OnfidoEventType,
  type OnfidoObjectStatus,
  type OnfidoReportEventType,
  type OnfidoWorkflowRunEventType,
  type OnfidoWorkflowTaskEventType,
} from './onfido.events.js';
export type { OnfidoTenantSettings, OnfidoWebhookOptions } from './onfido.options.js';
export { OnfidoWebhookGuard } from './onfido-webhook.guard.js';
