import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { IsReadableTime } from '../../contracts/is-readable-time.decorator.js';
import {
  VERIFF_DECISION_CODES,
  VERIFF_EVENT_CODES,
  type VeriffDecisionStatus,
  type VeriffEventAction,
} from './veriff.event-types.js';

/*
 * Veriff posts two kinds of body to two URLs of an integration: the decision webhook (the result of
 * a verification session) and the optional event webhook (the end user started or submitted the
 * flow). Both are plain JSON objects without an envelope. The library checks what handlers rely on
 * (the session and attempt ids, the code and the status or action, `vendorData`, the times) and
 * keeps every other field as sent, so a field Veriff adds never refuses a genuine delivery.
 */

/** Veriff's session and attempt ids: UUIDs. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A lower-case status or action word: `approved`, `resubmission_requested`, `submitted`. */
const WORD = /^[a-z][a-z_]{0,63}$/;
/** A feature name of the event webhook: `selfid`, ... */
const FEATURE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A time attribute: ISO 8601 that `Date` can read, or absent / null. */
function OptionalTime(): PropertyDecorator {
  const rules = [IsOptional(), IsISO8601({ strict: true }), IsReadableTime()];
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/** A free-form reference such as `vendorData` (your own id for the user), or absent / null. */
function OptionalReference(): PropertyDecorator {
  const rules = [IsOptional(), IsString(), MaxLength(1024)];
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/**
 * A documented code must agree with the word next to it (`status: 'approved'` carries 9001): a body
 * whose code and status disagree is refused rather than guessed at. Undocumented words are free.
 */
function CodeAgreesWith(wordKey: string, codes: Readonly<Record<string, number>>): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'codeAgreesWith',
      target: target.constructor,
      propertyName: key as string,
      options: { message: `$property does not match ${wordKey}` },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const word = (args.object as Record<string, unknown>)[wordKey];
          if (typeof word !== 'string' || !Object.hasOwn(codes, word)) return true;
          return value === codes[word];
        },
      },
    });
}

/** The verification session a decision webhook is about. */
export class VeriffVerificationDto {
  /** The verification session's id (UUID): the same on every retry of its decisions. */
  @IsString()
  @Matches(UUID, { message: '$property must be a Veriff session id (UUID)' })
  id!: string;

  /** The attempt the decision concerns, when Veriff sends it. */
  @IsOptional()
  @IsString()
  @Matches(UUID, { message: '$property must be a Veriff attempt id (UUID)' })
  attemptId?: string | null;

  /** The decision code: 9001 approved, 9102 declined, 9103 resubmission requested, 9104 expired or abandoned, 9121 review. */
  @IsInt()
  @Min(1000)
  @Max(9999)
  @CodeAgreesWith('status', VERIFF_DECISION_CODES)
  code!: number;

  /** `approved`, `declined`, `resubmission_requested`, `expired`, `abandoned`, `review`. */
  @IsString()
  @Matches(WORD, { message: '$property must be a lower-case status such as approved' })
  status!: VeriffDecisionStatus | (string & {});

  /** Why the session was declined or needs resubmitting, in words; null otherwise. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  reason?: string | null;

  /** The reason's code (102, 105, ...); null when there is none. */
  @IsOptional()
  @IsInt()
  reasonCode?: number | null;

  /** The reference your app gave the session when it created it (usually your user's id). */
  @OptionalReference() vendorData?: string | null;
  /** The end-user id your app gave the session, if it gave one. */
  @OptionalReference() endUserId?: string | null;

  /** When Veriff decided: the time the library measures a decision's age from. */
  @OptionalTime() decisionTime?: string | null;
  /** When the session was created. */
  @OptionalTime() acceptanceTime?: string | null;
  /** When the end user submitted the session. */
  @OptionalTime() submissionTime?: string | null;

  /** The verified person (`firstName`, `lastName`, `dateOfBirth`, ...), as sent. */
  @IsOptional()
  @IsObject()
  person?: Record<string, unknown> | null;

  /** The verified document (`number`, `type`, `country`, `validUntil`, ...), as sent. */
  @IsOptional()
  @IsObject()
  document?: Record<string, unknown> | null;

  [field: string]: unknown;
}

/** A decision webhook: `status: 'success'` and the `verification` it reports. */
export class VeriffDecisionWebhookDto {
  /** Always `success` on a decision webhook. */
  @IsIn(['success'])
  status!: 'success';

  /** The verification session and its decision: code, status, reason, person, document, times. */
  @IsObject()
  @ValidateNested()
  @Type(() => VeriffVerificationDto)
  verification!: VeriffVerificationDto;

  /** `ip` of the end user and similar, as sent. */
  @IsOptional()
  @IsObject()
  technicalData?: Record<string, unknown> | null;

  [field: string]: unknown;
}

/** An event webhook: the end user started (7001) or submitted (7002) a verification session. */
export class VeriffEventWebhookDto {
  /** The verification session's id (UUID). */
  @IsString()
  @Matches(UUID, { message: '$property must be a Veriff session id (UUID)' })
  id!: string;

  /** The attempt's id (UUID): a session has one per try of the end user. */
  @IsString()
  @Matches(UUID, { message: '$property must be a Veriff attempt id (UUID)' })
  attemptId!: string;

  /** The feature the event belongs to, e.g. `selfid`. */
  @IsString()
  @Matches(FEATURE, { message: '$property must be a Veriff feature name such as selfid' })
  feature!: string;

  /** 7001 started, 7002 submitted. */
  @IsInt()
  @Min(1000)
  @Max(9999)
  @CodeAgreesWith('action', VERIFF_EVENT_CODES)
  code!: number;

  /** `started` or `submitted`. */
  @IsString()
  @Matches(WORD, { message: '$property must be a lower-case action such as submitted' })
  action!: VeriffEventAction | (string & {});

  /** The reference your app gave the session when it created it (usually your user's id). */
  @OptionalReference() vendorData?: string | null;
  /** The end-user id your app gave the session, if it gave one. */
  @OptionalReference() endUserId?: string | null;

  [field: string]: unknown;
}
