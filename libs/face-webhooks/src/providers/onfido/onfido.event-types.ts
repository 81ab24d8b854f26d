/** The check events Onfido documents (`payload.object` is the check). */
export const ONFIDO_CHECK_EVENT_TYPES = [
  'check.started',
  'check.reopened',
  'check.withdrawn',
  'check.completed',
  'check.form_completed',
] as const;

/** The report events Onfido documents (`payload.object` is the report). */
export const ONFIDO_REPORT_EVENT_TYPES = [
  'report.withdrawn',
  'report.resumed',
  'report.cancelled',
  'report.awaiting_approval',
  'report.completed',
] as const;

/** Studio (workflow) events: `payload.object` is the workflow run, `payload.resource` may carry it in full. */
export const ONFIDO_WORKFLOW_RUN_EVENT_TYPES = ['workflow_run.completed'] as const;

/** Studio task events: `payload.object` is the task of a workflow run. */
export const ONFIDO_WORKFLOW_TASK_EVENT_TYPES = ['workflow_task.started', 'workflow_task.completed'] as const;

/**
 * Every Onfido event (`payload.action`) the library types. Onfido sends others (`audit_log.created`,
 * `watchlist_monitor.matches_updated`, `workflow_timeline_file.created`,
 * `workflow_run_evidence_folder.created`, and any it adds later): those are accepted and reach
 * wildcard handlers (`'onfido.**'`) only.
 */
export const ONFIDO_EVENT_TYPES = [
  ...ONFIDO_CHECK_EVENT_TYPES,
  ...ONFIDO_REPORT_EVENT_TYPES,
  ...ONFIDO_WORKFLOW_RUN_EVENT_TYPES,
  ...ONFIDO_WORKFLOW_TASK_EVENT_TYPES,
] as const;
/** A check event Onfido documents: `check.completed`, `check.started`, ... */
export type OnfidoCheckEventType = (typeof ONFIDO_CHECK_EVENT_TYPES)[number];
/** A report event Onfido documents: `report.completed`, `report.awaiting_approval`, ... */
export type OnfidoReportEventType = (typeof ONFIDO_REPORT_EVENT_TYPES)[number];
/** `workflow_run.completed`. */
export type OnfidoWorkflowRunEventType = (typeof ONFIDO_WORKFLOW_RUN_EVENT_TYPES)[number];
/** `workflow_task.started` or `workflow_task.completed`. */
export type OnfidoWorkflowTaskEventType = (typeof ONFIDO_WORKFLOW_TASK_EVENT_TYPES)[number];
/** Every Onfido event the library types (handled as `'onfido.<action>'`). */
export type OnfidoEventType = (typeof ONFIDO_EVENT_TYPES)[number];

/**
 * `payload.object.status` values Onfido documents (`webhook_event_object_status` of its OpenAPI
 * definition): a check's (`in_progress`, `awaiting_applicant`, `complete`, `withdrawn`, `paused`,
 * `reopened`), a report's (`awaiting_data`, `awaiting_approval`, `complete`, `withdrawn`,
 * `cancelled`), a workflow run's (`processing`, `awaiting_input`, `approved`, `declined`, `review`,
 * `abandoned`, `error`, ...) and a task's (`started`, `completed`, ...).
 */
export type OnfidoObjectStatus =
  | 'processing'
  | 'awaiting_input'
  | 'awaiting_client_input'
  | 'approved'
  | 'declined'
  | 'review'
  | 'abandoned'
  | 'error'
  | 'started'
  | 'cancelled'
  | 'completed'
  | 'awaiting_data'
  | 'awaiting_approval'
  | 'complete'
  | 'withdrawn'
  | 'in_progress'
  | 'awaiting_applicant'
  | 'paused'
  | 'reopened';
