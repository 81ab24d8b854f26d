import { Transform, Type } from 'class-transformer';
import {
  Allow,
  IsIP,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;
const numberAsString = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);

/** `YYYY-MM-DD` as documented, or an ISO 8601 date-time as seen (`2023-11-24T07:55:59`). */
const FACEIO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** `details`: sent on enrolment. FACEIO sends `age` and `gender` as strings; numbers are accepted too. */
export class FaceioEventDetailsDto {
  /** When the user enrolled: `YYYY-MM-DD`, or an ISO 8601 date-time. */
  @IsOptional()
  @IsString()
  @Matches(FACEIO_TIMESTAMP, { message: '$property must be YYYY-MM-DD or an ISO 8601 date-time' })
  timestamp?: string;

  /** The enrolled user's gender as FACEIO sends it (`male` or `female`). */
  @IsOptional()
  @Transform(numberAsString)
  @IsString()
  @MaxLength(64)
  gender?: string;

  /** FACEIO's approximation of the enrolled user's age, as a string (a number is turned into one). */
  @IsOptional()
  @Transform(numberAsString)
  @IsString()
  @MaxLength(64)
  age?: string;
}

/** The body of every FACEIO webhook. */
export class FaceioWebhookEventDto {
  /**
   * `ENROLL`, `AUTH`, `DELETION` or another FACEIO event; matched case-insensitively and kept upper
   * case. Letters, digits, `_` and `-` only, because it becomes a segment of the event type.
   */
  @Transform(upperCase)
  @IsString()
  @Matches(/^[A-Z0-9_-]{1,64}$/, { message: '$property must be 1 to 64 letters, digits, _ or -' })
  eventName!: string;

  /** FACEIO's unique facial id: opaque (not a UUID). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  facialId!: string;

  /** The public id of the FACEIO application that sent the event. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  appId!: string;

  /** The IPv4 or IPv6 address of the browser that ran fio.js. */
  @IsIP()
  clientIp!: string;

  /** Data linked to the user at enrolment (Business plan and up): any JSON. Absent on DELETION. */
  @Allow()
  payload?: unknown;

  /** Sent on enrolment: date, estimated age and gender. Absent on other events. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FaceioEventDetailsDto)
  details?: FaceioEventDetailsDto;
}
