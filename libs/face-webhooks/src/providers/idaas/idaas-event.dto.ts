import { Type } from 'class-transformer';
import {
  IsIP,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsReadableTime } from '../../contracts/is-readable-time.decorator.js';

/** `data.entityAttributes` of `face.biometric.created`. */
export class IdaasFaceEntityAttributesDto {
  /** Username of the user who has this face biometric. */
  @IsString()
  @IsNotEmpty()
  userId!: string;

  /** Current status of the face biometric, e.g. `ACTIVATING`. */
  @IsOptional()
  @IsString()
  status?: string;
}

/** `data` of `face.biometric.created`, as documented. */
export class IdaasFaceBiometricCreatedDataDto {
  /** ID of the user associated with the face biometric. */
  @IsString()
  @IsNotEmpty()
  subject!: string;

  /** Username of the user associated with the face biometric. */
  @IsOptional()
  @IsString()
  subjectName?: string;

  /** Always `USER`. */
  @IsString()
  subjectType!: string;

  /** Where it was created, e.g. `Administration Portal`. */
  @IsOptional()
  @IsString()
  resourceName?: string;

  /** IP address from which the face biometric was created. */
  @IsOptional()
  @IsIP()
  sourceIp?: string;

  /** Administrator role used, when an administrator created it. */
  @IsOptional()
  @IsString()
  subscriberAdminRoleName?: string;

  /** Always `FACE`. */
  @IsString()
  entityType!: string;

  /** ID of the created face biometric. */
  @IsString()
  @IsNotEmpty()
  entityId!: string;

  /** The face biometric identifier. */
  @IsOptional()
  @IsString()
  entityName?: string;

  /** The user the face biometric belongs to, and its status. */
  @IsObject()
  @ValidateNested()
  @Type(() => IdaasFaceEntityAttributesDto)
  entityAttributes!: IdaasFaceEntityAttributesDto;
}

/** The envelope of every IDaaS webhook; `data` is an open object (see the face event's own DTO). */
export class IdaasWebhookEventDto {
  /** Unique per delivery; the de-duplication key. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  id!: string;

  /** The event type, `face.biometric.created`, `user.created`, ... */
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}(\.[a-z0-9_]{1,64}){1,4}$/, {
    message: '$property must be a dotted lower-case event type',
  })
  type!: string;

  /** Your IDaaS account identifier. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  accountId!: string;

  /** When the event occurred, ISO 8601 (and readable by `Date`: it becomes `event.occurredAt`). */
  @IsISO8601({ strict: true })
  @IsReadableTime()
  eventTime!: string;

  /** The event's details; an open object (each event type has its own fields). */
  @IsObject()
  data!: Record<string, unknown>;
}

/** `face.biometric.created`: the envelope with `data` validated in full. */
export class IdaasFaceBiometricCreatedEventDto extends IdaasWebhookEventDto {
  /** `data`, validated as `face.biometric.created` documents it. */
  @IsObject()
  @ValidateNested()
  @Type(() => IdaasFaceBiometricCreatedDataDto)
  declare data: IdaasFaceBiometricCreatedDataDto & Record<string, unknown>;
}

/** `face.biometric.created`, with `data` typed. */
export type IdaasFaceBiometricCreatedEvent = IdaasFaceBiometricCreatedEventDto;
