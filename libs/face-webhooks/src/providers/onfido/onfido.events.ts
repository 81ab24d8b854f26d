import type {
  OnfidoCheckEventDto,
  OnfidoReportEventDto,
  OnfidoWorkflowRunEventDto,
  OnfidoWorkflowTaskEventDto,
} from './onfido-event.dto.js';

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
} from './onfido.event-types.js';

declare module '../../contracts/face-event-map.js' {
  interface FaceEventMap {
    /** A check was created and started. */
    'onfido.check.started': OnfidoCheckEventDto;
    /** A check went back to in progress (a report was resumed or reopened). */
    'onfido.check.reopened': OnfidoCheckEventDto;
    /** A check was withdrawn. */
    'onfido.check.withdrawn': OnfidoCheckEventDto;
    /** A check completed: every report finished. Its result is on the check (`GET /checks/{id}`). */
    'onfido.check.completed': OnfidoCheckEventDto;
    /** The applicant submitted the applicant form of a check. */
    'onfido.check.form_completed': OnfidoCheckEventDto;
    /** A report was withdrawn. */
    'onfido.report.withdrawn': OnfidoReportEventDto;
    /** A paused report was resumed. */
    'onfido.report.resumed': OnfidoReportEventDto;
    /** A report was cancelled. */
    'onfido.report.cancelled': OnfidoReportEventDto;
    /** A report awaits your approval. */
    'onfido.report.awaiting_approval': OnfidoReportEventDto;
    /** A report completed (document, facial similarity, watchlist, ...). */
    'onfido.report.completed': OnfidoReportEventDto;
    /** A Studio workflow run reached its outcome: `payload.object.status` is `approved`, `declined`, `review`, ... */
    'onfido.workflow_run.completed': OnfidoWorkflowRunEventDto;
    /** A task of a workflow run started. */
    'onfido.workflow_task.started': OnfidoWorkflowTaskEventDto;
    /** A task of a workflow run completed. */
    'onfido.workflow_task.completed': OnfidoWorkflowTaskEventDto;
  }
}
