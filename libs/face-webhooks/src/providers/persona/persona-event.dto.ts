import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsReadableTime } from '../../contracts/is-readable-time.decorator.js';
import type { PersonaInquiryStatus, PersonaVerificationStatus } from './persona.event-types.js';

/*
 * Persona posts JSON:API documents. Attribute keys follow the webhook's key inflection: kebab-case
 * by default (`created-at`, `reference-id`), camelCase or snake_case when the webhook is set so.
 * Single-word keys (`data`, `type`, `id`, `attributes`, `name`, `payload`, `status`) are the same
 * in all three; the few multi-word keys the library reads are declared in all three spellings, and
 * `personaAttribute()` reads whichever is there. Every other field is kept as sent, unvalidated.
 */

const EVENT_ID = /^evt_[A-Za-z0-9]{1,64}$/;
const INQUIRY_ID = /^inq_[A-Za-z0-9]{1,64}$/;
const VERIFICATION_ID = /^ver_[A-Za-z0-9]{1,64}$/;
/** `inquiry.approved`, `inquiry.marked-for-review`, `report/watchlist.ready`, ... */
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_/-]{0,63}(\.[A-Za-z0-9][A-Za-z0-9_/-]{0,63}){1,3}$/;
/** A lower-case status word: `approved`, `needs_review`, `requires_retry`. */
const STATUS = /^[a-z][a-z_]{0,63}$/;
const VERIFICATION_TYPE = /^verification\/[A-Za-z0-9_-]{1,64}$/;

/** A time attribute: ISO 8601 that `Date` can read, or absent / null. */
function OptionalTime(): PropertyDecorator {
  const rules = [IsOptional(), IsISO8601({ strict: true }), IsReadableTime()];
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/** A free-form reference such as `reference-id` (your own id for the user), or absent / null. */
function OptionalReference(): PropertyDecorator {
  const rules = [IsOptional(), IsString(), MaxLength(1024)];
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/** `created-at` in each key inflection Persona offers. */
class PersonaTimestamps {
  /** When Persona created the resource (ISO 8601), in the default kebab-case inflection. */
  @OptionalTime() 'created-at'?: string | null;
  /** `created-at` when the webhook sends camelCase keys. */
  @OptionalTime() createdAt?: string | null;
  /** `created-at` when the webhook sends snake_case keys. */
  @OptionalTime() created_at?: string | null;
}

/** An inquiry's attributes: `status` checked, `reference-id` checked when present, the rest as sent. */
export class PersonaInquiryAttributesDto extends PersonaTimestamps {
  /** `completed`, `approved`, `declined`, `needs_review`, `failed`, `expired`, ... */
  @IsString()
  @Matches(STATUS, { message: '$property must be a lower-case status such as approved' })
  status!: PersonaInquiryStatus | (string & {});

  /** The reference id your app gave the inquiry (usually your user's id), in any inflection. */
  @OptionalReference() 'reference-id'?: string | null;
  /** `reference-id` when the webhook sends camelCase keys. */
  @OptionalReference() referenceId?: string | null;
  /** `reference-id` when the webhook sends snake_case keys. */
  @OptionalReference() reference_id?: string | null;

  [attribute: string]: unknown;
}

/** A verification's attributes: `status` checked, the rest (`checks`, `country-code`, ...) as sent. */
export class PersonaVerificationAttributesDto extends PersonaTimestamps {
  /** `passed`, `failed`, `requires_retry`, ... */
  @IsString()
  @Matches(STATUS, { message: '$property must be a lower-case status such as passed' })
  status!: PersonaVerificationStatus | (string & {});

  [attribute: string]: unknown;
}

/** The inquiry an `inquiry.*` event is about. */
export class PersonaInquiryDto {
  /** Always `'inquiry'`. */
  @IsIn(['inquiry'])
  type!: 'inquiry';

  /** The inquiry id, `inq_...`. */
  @IsString()
  @Matches(INQUIRY_ID, { message: '$property must be an inquiry id (inq_...)' })
  id!: string;

  /** The inquiry's status, reference id, timestamps and every other attribute Persona sent. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaInquiryAttributesDto)
  attributes!: PersonaInquiryAttributesDto;

  /** `account`, `template`, `verifications`, `sessions`, ...: JSON:API relationships, as sent. */
  @IsOptional()
  @IsObject()
  relationships?: Record<string, unknown>;
}

/** The verification a `verification.*` event is about: `verification/government-id`, `verification/selfie`, ... */
export class PersonaVerificationDto {
  /** The verification's kind, `verification/<kind>`: `verification/government-id`, `verification/selfie`, ... */
  @IsString()
  @Matches(VERIFICATION_TYPE, { message: '$property must be a verification type (verification/<kind>)' })
  type!: string;

  /** The verification id, `ver_...`. */
  @IsString()
  @Matches(VERIFICATION_ID, { message: '$property must be a verification id (ver_...)' })
  id!: string;

  /** The verification's status, timestamps and every other attribute Persona sent (`checks`, ...). */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaVerificationAttributesDto)
  attributes!: PersonaVerificationAttributesDto;

  /** Its `inquiry`, `template`, ...: JSON:API relationships, as sent. */
  @IsOptional()
  @IsObject()
  relationships?: Record<string, unknown>;
}

/** A JSON:API resource in `included` (templates, verifications, reports, ...), unvalidated. */
export interface PersonaIncludedResource {
  /** The resource type: `inquiry-template`, `verification/selfie`, `report/watchlist`, ... */
  readonly type: string;
  /** The resource id. */
  readonly id: string;
  /** Its attributes, as sent. */
  readonly attributes?: Record<string, unknown>;
  /** Its JSON:API relationships, as sent. */
  readonly relationships?: Record<string, unknown>;
}

/** The payload of an `inquiry.*` event: a JSON:API document whose `data` is the inquiry. */
export class PersonaInquiryPayloadDto {
  /** The inquiry, validated. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaInquiryDto)
  data!: PersonaInquiryDto;

  /** Related resources Persona sideloads (templates, verifications, ...), unvalidated. */
  @IsOptional()
  @IsArray()
  included?: PersonaIncludedResource[];
}

/** The payload of a `verification.*` event: a JSON:API document whose `data` is the verification. */
export class PersonaVerificationPayloadDto {
  /** The verification, validated. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaVerificationDto)
  data!: PersonaVerificationDto;

  /** Related resources Persona sideloads (templates, verifications, ...), unvalidated. */
  @IsOptional()
  @IsArray()
  included?: PersonaIncludedResource[];
}

/** What an event of a type the library does not type carries: a JSON:API document, as sent. */
export interface PersonaPayload {
  /** The resource the event is about, as sent. */
  readonly data?: Record<string, unknown>;
  /** Related resources Persona sideloads, as sent. */
  readonly included?: unknown[];
  readonly [key: string]: unknown;
}

/** `data.attributes` of every event: its name, when Persona created it, and the payload. */
export class PersonaEventAttributesDto extends PersonaTimestamps {
  /** The event name: `inquiry.approved`, `verification.passed`, ... */
  @IsString()
  @Matches(EVENT_NAME, { message: '$property must be a Persona event name such as inquiry.approved' })
  name!: string;

  /** The object the event is about (a JSON:API document), as sent. */
  @IsObject()
  payload!: PersonaPayload;
}

/** `data.attributes` of an `inquiry.*` event: its name, when Persona created it, and the inquiry. */
export class PersonaInquiryEventAttributesDto extends PersonaTimestamps {
  /** The event name: `inquiry.approved`, `inquiry.declined`, ... */
  @IsString()
  @Matches(EVENT_NAME, { message: '$property must be a Persona event name such as inquiry.approved' })
  name!: string;

  /** The payload, whose `data` is the inquiry. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaInquiryPayloadDto)
  payload!: PersonaInquiryPayloadDto;
}

/** `data.attributes` of a `verification.*` event: its name, when Persona created it, and the verification. */
export class PersonaVerificationEventAttributesDto extends PersonaTimestamps {
  /** The event name: `verification.passed` or `verification.failed`. */
  @IsString()
  @Matches(EVENT_NAME, { message: '$property must be a Persona event name such as verification.passed' })
  name!: string;

  /** The payload, whose `data` is the verification. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaVerificationPayloadDto)
  payload!: PersonaVerificationPayloadDto;
}

/** The event resource: `type: 'event'`, its id (the de-duplication key) and its attributes. */
class PersonaEventResource {
  /** Always `'event'`. */
  @IsIn(['event'])
  type!: 'event';

  /** The event id, the same on every retry: the de-duplication key. */
  @IsString()
  @Matches(EVENT_ID, { message: '$property must be a Persona event id (evt_...)' })
  id!: string;
}

/** The `data` of any Persona event: the event resource, its payload unvalidated. */
export class PersonaEventDataDto extends PersonaEventResource {
  /** The event's name, creation time and payload. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaEventAttributesDto)
  attributes!: PersonaEventAttributesDto;
}

/** The `data` of an `inquiry.*` event: the event resource, with the inquiry in its payload. */
export class PersonaInquiryEventDataDto extends PersonaEventResource {
  /** The event's name, creation time and payload (the inquiry). */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaInquiryEventAttributesDto)
  attributes!: PersonaInquiryEventAttributesDto;
}

/** The `data` of a `verification.*` event: the event resource, with the verification in its payload. */
export class PersonaVerificationEventDataDto extends PersonaEventResource {
  /** The event's name, creation time and payload (the verification). */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaVerificationEventAttributesDto)
  attributes!: PersonaVerificationEventAttributesDto;
}

/** Any Persona webhook body: the event envelope, its payload unvalidated (for untyped events). */
export class PersonaWebhookEventDto {
  /** The event resource: `type: 'event'`, its id and its attributes. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaEventDataDto)
  data!: PersonaEventDataDto;
}

/** An `inquiry.*` event the library types: `data.attributes.payload.data` is the inquiry. */
export class PersonaInquiryEventDto {
  /** The event resource: `type: 'event'`, its id and its attributes. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaInquiryEventDataDto)
  data!: PersonaInquiryEventDataDto;
}

/** A `verification.passed` / `verification.failed` event: `data.attributes.payload.data` is the verification. */
export class PersonaVerificationEventDto {
  /** The event resource: `type: 'event'`, its id and its attributes. */
  @IsObject()
  @ValidateNested()
  @Type(() => PersonaVerificationEventDataDto)
  data!: PersonaVerificationEventDataDto;
}

/**
 * Reads a multi-word attribute in whichever key inflection the webhook uses: pass its kebab-case
 * name (`'reference-id'`, `'created-at'`) and get the value of `reference-id`, `referenceId` or
 * `reference_id`, whichever is present (`undefined` when none is).
 *
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import { OnFaceEvent, personaAttribute, type FaceEventOf } from 'nestjs-face-webhooks';
 *
 * @Injectable()
 * export class InquiryHandler {
 *   @OnFaceEvent('persona.inquiry.approved')
 *   onApproved(event: FaceEventOf<'persona.inquiry.approved'>): void {
 *     const userId = personaAttribute(event.data.data.attributes.payload.data.attributes, 'reference-id');
 *     console.log(`user ${String(userId)} approved`);
 *   }
 * }
 * ```
 */
export function personaAttribute(attributes: object, kebabName: string): unknown {
  const record = attributes as Record<string, unknown>;
  const camel = kebabName.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
  const snake = kebabName.replaceAll('-', '_');
  for (const key of [kebabName, camel, snake]) {
    if (Object.hasOwn(record, key) && record[key] !== undefined) return record[key];
  }
  return undefined;
}
