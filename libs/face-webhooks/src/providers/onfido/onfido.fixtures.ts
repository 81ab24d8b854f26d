import { randomUUID } from 'node:crypto';
import type { OnfidoEventType, OnfidoObjectStatus } from './onfido.event-types.js';

/** An Onfido body as it arrives on the wire. */
export interface OnfidoFixture {
  /** Onfido's envelope. */
  payload: {
    /** The first part of the event name: `check`, `report`, `workflow_run`, `workflow_task`. */
    resource_type: string;
    /** The event name, `check.completed`, ... */
    action: string;
    /** The check, report, workflow run or task the event is about. */
    object: {
      /** A fresh id (a UUID, or a task id). */
      id: string;
      /** The status that matches the event, `complete`, `approved`, ... */
      status?: string | null;
      /** When the operation started (task events). */
      started_at_iso8601?: string | null;
      /** When the operation completed (events other than `*.started`). */
      completed_at_iso8601?: string | null;
      /** The object's API URL. */
      href?: string | null;
      [field: string]: unknown;
    };
    /** The resource in full, on Studio (workflow) events. */
    resource?: Record<string, unknown>;
  };
}

const STATUS: Record<OnfidoEventType, OnfidoObjectStatus> = {
  'check.started': 'in_progress',
  'check.reopened': 'reopened',
  'check.withdrawn': 'withdrawn',
  'check.completed': 'complete',
  'check.form_completed': 'in_progress',
  'report.withdrawn': 'withdrawn',
  'report.resumed': 'awaiting_data',
  'report.cancelled': 'cancelled',
  'report.awaiting_approval': 'awaiting_approval',
  'report.completed': 'complete',
  'workflow_run.completed': 'approved',
  'workflow_task.started': 'started',
  'workflow_task.completed': 'completed',
};

const API = 'https://api.eu.onfido.com/v3.6';
/** Onfido writes its times to the second: `2019-10-28T15:00:39Z`. */
const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A realistic Onfido webhook body of the given event name (`payload.action`), shaped like the
 * examples of Onfido's API reference and of its Node library's tests, with fresh ids each call.
 * Completion events carry `completed_at_iso8601` (now), `*.started` events `started_at_iso8601`.
 * `workflow_run.completed` carries the run in `resource` (applicant `applicant_id`, your user id
 * `customer_user_id` `user_4242`, tags); task events a task of a run. Other names get a generic
 * object, for wildcard handlers.
 */
export function onfidoFixture(action: OnfidoEventType | (string & {}), now = new Date()): OnfidoFixture {
  const resourceType = action.split('.')[0]!;
  const status = STATUS[action as OnfidoEventType] as string | undefined;
  const time = action.endsWith('.started')
    ? { started_at_iso8601: iso(now) }
    : { completed_at_iso8601: iso(now) };
  const id = randomUUID();
  if (resourceType === 'workflow_run') {
    const applicantId = randomUUID();
    return {
      payload: {
        resource_type: 'workflow_run',
        action,
        object: { id, status: status ?? 'approved', ...time, href: `${API}/workflow_runs/${id}` },
        resource: {
          id,
          applicant_id: applicantId,
          workflow_id: randomUUID(),
          workflow_version_id: 3,
          status: status ?? 'approved',
          customer_user_id: 'user_4242',
          tags: ['signup'],
          reasons: [],
          created_at: iso(new Date(now.getTime() - 300_000)),
          updated_at: iso(now),
          dashboard_url: `https://dashboard.onfido.com/results/${id}`,
          output: { result: 'clear' },
        },
      },
    };
  }
  if (resourceType === 'workflow_task') {
    const runId = randomUUID();
    const taskId = `document_check_${id.slice(0, 5)}`;
    return {
      payload: {
        resource_type: 'workflow_task',
        action,
        object: {
          id: taskId,
          task_spec_id: taskId,
          task_def_id: 'document_check',
          workflow_run_id: runId,
          status: status ?? 'completed',
          ...time,
          href: `${API}/workflow_runs/${runId}/tasks/${taskId}`,
        },
        resource: {
          id: taskId,
          workflow_run_id: runId,
          task_def_id: 'document_check',
          task_def_version: null,
          created_at: iso(now),
          updated_at: iso(now),
          input: {},
          output: action === 'workflow_task.completed' ? { status: 'complete', result: 'clear' } : null,
        },
      },
    };
  }
  const collection =
    resourceType === 'check' ? 'checks' : resourceType === 'report' ? 'reports' : resourceType;
  return {
    payload: {
      resource_type: resourceType,
      action,
      object: { id, status: status ?? 'complete', ...time, href: `${API}/${collection}/${id}` },
    },
  };
}
