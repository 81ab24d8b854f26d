import { Type } from 'class-transformer';
import {
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsReadableTime } from 'nestjs-face-webhooks';

/** The events the liveness vendor sends. */
export const LIVENESS_EVENT_TYPES = ['check.passed', 'check.failed', 'session.expired'] as const;
export type LivenessEventType = (typeof LIVENESS_EVENT_TYPES)[number];

/** What a liveness check found. Fields the vendor adds later are accepted and ignored. */
export class LivenessResultDto {
  /** The vendor's capture session. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  sessionId!: string;

  /** Your user, as you passed it when you opened the session. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  userRef!: string;

  /** How sure the vendor is that a live person was in front of the camera, 0 to 1. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  score?: number;
}

/**
 * One delivery of the liveness vendor:
 * `{ "id": "lv_evt_...", "type": "check.passed", "createdAt": "2026-12-05T10:00:00Z", "result": {...} }`.
 */
export class LivenessEventDto {
  @IsString()
  @Matches(/^lv_evt_[A-Za-z0-9]{8,64}$/, { message: 'id must look like lv_evt_<letters and digits>' })
  id!: string;

  /** A type of {@link LIVENESS_EVENT_TYPES}, or one the vendor adds later (wildcard handlers get it). */
  @IsString()
  @Matches(/^[a-z_]+(\.[a-z_]+)+$/, { message: 'type must look like check.passed' })
  @MaxLength(64)
  type!: string;

  @IsISO8601({ strict: true })
  @IsReadableTime()
  createdAt!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => LivenessResultDto)
  result!: LivenessResultDto;
}

/** `result` of `check.failed`: the reason is required. */
export class LivenessFailureDto extends LivenessResultDto {
  /** Why: `spoof_detected`, `face_not_found`, ... */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  reason!: string;
}

/** `check.failed` must say why. */
export class LivenessCheckFailedEventDto extends LivenessEventDto {
  @IsObject()
  @ValidateNested()
  @Type(() => LivenessFailureDto)
  declare result: LivenessFailureDto;
}

/** Typed `@OnFaceEvent('liveness.check.passed')` handlers: the event map learns this provider's types. */
declare module 'nestjs-face-webhooks' {
  interface FaceEventMap {
    /** A live person passed the check: `result.userRef`, `result.score`. */
    'liveness.check.passed': LivenessEventDto;
    /** The check failed: `result.reason` says why. */
    'liveness.check.failed': LivenessCheckFailedEventDto;
    /** The user never finished the session. */
    'liveness.session.expired': LivenessEventDto;
  }
}

export const isKnownLivenessType = (type: string): type is LivenessEventType =>
  (LIVENESS_EVENT_TYPES as readonly string[]).includes(type);
