import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsReadableTime } from '../../contracts/is-readable-time.decorator.js';
import type { OnfidoObjectStatus } from './onfido.event-types.js';

/*
 * Onfido posts `{ "payload": { "resource_type", "action", "object": { "id", "status",
 * "completed_at_iso8601", "href" }, "resource"? } }`. `action` is the whole event name
 * (`check.completed`), `resource_type` its first part (`check`). What handlers rely on is checked
 * (the names, the object's id, its status and times when present, its href); every other field is
 * kept as sent, unvalidated, so a field Onfido adds later never refuses a genuine delivery.
 */

/** `check`, `report`, `workflow_run`, `watchlist_monitor`, ... */
const RESOURCE_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
/** `check.completed`, `report.awaiting_approval`, `watchlist_monitor.matches_updated`, ... */
const ACTION = /^[a-z][a-z0-9_]{0,63}(\.[a-z][a-z0-9_]{0,63}){1,3}$/;
/** A check, report or workflow run UUID, or a task id such as `document_check_75329`. */
const OBJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** A lower-case status word: `complete`, `awaiting_approval`, `approved`. */
const STATUS = /^[a-z][a-z_]{0,63}$/;

/** A time of the object: ISO 8601 that `Date` can read, or absent / null. */
function OptionalTime(): PropertyDecorator {
  const rules = [IsOptional(), IsISO8601({ strict: true }), IsReadableTime()];
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/** `payload.object`: the check, report, workflow run or task the event is about. */
export class OnfidoObjectDto {
  /** Its id: fetch it with `href`, or with Onfido's API (`GET /checks/{id}`, `/reports/{id}`, ...). */
  @IsString()
  @Matches(OBJECT_ID, { message: '$property must be an Onfido id (letters, digits, _ and -)' })
  id!: string;

  /** `complete`, `in_progress`, `approved`, `declined`, ... when the event has one. */
  @IsOptional()
  @IsString()
  @Matches(STATUS, { message: '$property must be a lower-case status such as complete' })
  status?: OnfidoObjectStatus | (string & {}) | null;

  /** When the operation started, if Onfido says (task events). */
  @OptionalTime() started_at_iso8601?: string | null;

  /** When the operation completed, if Onfido says: the time the library bounds the event's age by. */
  @OptionalTime() completed_at_iso8601?: string | null;

  /** The object's API URL, `https://api.<region>.onfido.com/v3.6/checks/<id>`. */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: '$property must be an https URL' })
  href?: string | null;

  /** `workflow_run_id`, `task_def_id`, ...: as sent. */
  [field: string]: unknown;
}

/**
 * `payload.resource`: the resource in full, on Studio (workflow) events. The fields an app uses to
 * find its user are checked when present; the rest (`output`, `reasons`, `link`, ...) are as sent.
 */
export class OnfidoResourceDto {
  /** The resource's id (the workflow run's or task's). */
  @IsOptional() @IsString() @MaxLength(128) id?: string | null;

  /** The applicant the workflow run is for (Onfido's id for your user). */
  @IsOptional() @IsString() @MaxLength(128) applicant_id?: string | null;

  /** Your own id for the user, given when the workflow run was created. */
  @IsOptional() @IsString() @MaxLength(256) customer_user_id?: string | null;

  /** The workflow run's tags. */
  @IsOptional()
  @IsArray()
  @IsString({ each: true, message: '$property must be a list of strings' })
  tags?: string[] | null;

  /** Its status, `approved`, `declined`, `review`, ..., when present. */
  @IsOptional() @IsString() status?: OnfidoObjectStatus | (string & {}) | null;

  /** `workflow_id`, `output`, `reasons`, `dashboard_url`, `created_at`, ...: as sent. */
  [field: string]: unknown;
}

/** The payload of an event the library does not type: names checked, object and resource as sent. */
export class OnfidoPayloadDto {
  /** The kind of resource: `check`, `report`, `workflow_run`, `audit_log`, ... */
  @IsString()
  @Matches(RESOURCE_TYPE, { message: '$property must be an Onfido resource type such as check' })
  resource_type!: string;

  /** The event name: `check.completed`, `report.completed`, `workflow_run.completed`, ... */
  @IsString()
  @Matches(ACTION, { message: '$property must be an Onfido event name such as check.completed' })
  action!: string;

  /** The check, report, workflow run or task the event is about, when present. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoObjectDto)
  object?: OnfidoObjectDto;

  /** The resource in full (Studio events), as sent. */
  @IsOptional()
  @IsObject()
  resource?: Record<string, unknown>;

  [field: string]: unknown;
}

/** What the typed payloads share: the event name, and the object checked. */
abstract class OnfidoTypedPayload {
  /** The event name: `check.completed`, `report.completed`, `workflow_run.completed`, ... */
  @IsString()
  @Matches(ACTION, { message: '$property must be an Onfido event name such as check.completed' })
  action!: string;

  /** The check, report, workflow run or task the event is about. */
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoObjectDto)
  object!: OnfidoObjectDto;

  [field: string]: unknown;
}

/** The payload of a `check.*` event: `object` is the check. */
export class OnfidoCheckPayloadDto extends OnfidoTypedPayload {
  /** Always `'check'`. */
  @IsIn(['check']) resource_type!: 'check';
}

/** The payload of a `report.*` event: `object` is the report. */
export class OnfidoReportPayloadDto extends OnfidoTypedPayload {
  /** Always `'report'`. */
  @IsIn(['report']) resource_type!: 'report';
}

/** The payload of a `workflow_run.*` event: `object` is the workflow run. */
export class OnfidoWorkflowRunPayloadDto extends OnfidoTypedPayload {
  /** Always `'workflow_run'`. */
  @IsIn(['workflow_run']) resource_type!: 'workflow_run';

  /** The workflow run in full (applicant, customer user id, tags, output), when Onfido sends it. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoResourceDto)
  resource?: OnfidoResourceDto;
}

/** The payload of a `workflow_task.*` event: `object` is the task. */
export class OnfidoWorkflowTaskPayloadDto extends OnfidoTypedPayload {
  /** Always `'workflow_task'`. */
  @IsIn(['workflow_task']) resource_type!: 'workflow_task';

  /** The task in full (`workflow_run_id`, `task_def_id`, `input`, `output`), when Onfido sends it. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoResourceDto)
  resource?: OnfidoResourceDto;
}

/** Any Onfido webhook body: the envelope, for events the library does not type. */
export class OnfidoWebhookEventDto {
  /** The event: its name, resource type and object (checked), the rest as sent. */
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoPayloadDto)
  payload!: OnfidoPayloadDto;
}

/** A `check.*` event: `payload.object` is the check. Fetch it for its `result` (`clear`, `consider`). */
export class OnfidoCheckEventDto {
  /** The event: `action`, `resource_type: 'check'` and the check as `object`. */
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoCheckPayloadDto)
  payload!: OnfidoCheckPayloadDto;
}

/** A `report.*` event: `payload.object` is the report. */
export class OnfidoReportEventDto {
  /** The event: `action`, `resource_type: 'report'` and the report as `object`. */
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoReportPayloadDto)
  payload!: OnfidoReportPayloadDto;
}

/** A `workflow_run.*` event: `payload.object` is the run, its `status` the outcome (`approved`, ...). */
export class OnfidoWorkflowRunEventDto {
  /** The event: `action`, `resource_type: 'workflow_run'`, the run as `object`, and the run in full as `resource` when Onfido sends it. */
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoWorkflowRunPayloadDto)
  payload!: OnfidoWorkflowRunPayloadDto;
}

/** A `workflow_task.*` event: `payload.object` is a task of a workflow run. */
export class OnfidoWorkflowTaskEventDto {
  /** The event: `action`, `resource_type: 'workflow_task'`, the task as `object`, and the task in full as `resource` when Onfido sends it. */
  @IsObject()
  @ValidateNested()
  @Type(() => OnfidoWorkflowTaskPayloadDto)
  payload!: OnfidoWorkflowTaskPayloadDto;
}
