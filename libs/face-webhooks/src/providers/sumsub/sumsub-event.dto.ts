import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsReadableTime } from '../../contracts/is-readable-time.decorator.js';
import type { SumsubReviewAnswer, SumsubReviewRejectType, SumsubReviewStatus } from './sumsub.event-types.js';
import { readSumsubTime } from './sumsub-time.js';

/*
 * Sumsub posts one flat JSON object per webhook: `type`, `applicantId`, `createdAtMs`, and, as the
 * webhook type has them, `inspectionId`, `correlationId`, `externalUserId`, `levelName`,
 * `reviewStatus`, `reviewResult`, `sandboxMode`, ... The library checks what handlers and its
 * replay defence rely on, and keeps every other field as sent, unvalidated.
 */

/** `applicantReviewed`, `applicantActionPending`, `kytTxnApproved`, ...: a word of letters and digits. */
const TYPE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Sumsub ids (`5cb56e8e0a975a35f333cb83`): letters, digits, `-` and `_`. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** An optional free-form text such as `externalUserId` or `levelName`. */
function OptionalText(max = 1024): PropertyDecorator {
  const rules = [IsOptional(), IsString(), MaxLength(max)];
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/** An optional Sumsub id. */
function OptionalId(): PropertyDecorator {
  const rules = [
    IsOptional(),
    IsString(),
    Matches(ID, { message: '$property must be a Sumsub id (letters, digits, - and _)' }),
  ];
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/*
 * class-validator keeps an inherited `IsOptional()` even when a subclass adds rules to the same
 * field, so a field that is optional in one DTO and required in another is declared in each, never
 * overridden.
 */

/** What every `reviewResult` may carry besides its answer, checked when present. */
class SumsubReviewDetails {
  /** Why the applicant was rejected: `FORGERY`, `SELFIE_MISMATCH`, `DOCUMENT_PAGE_MISSING`, ... */
  @IsOptional()
  @IsArray()
  @IsString({ each: true, message: '$property must be a list of strings' })
  rejectLabels?: string[];

  /** A comment for the applicant. */
  @OptionalText(10_000) moderationComment?: string;
  /** A comment for you, never shown to the applicant. */
  @OptionalText(10_000) clientComment?: string;

  [field: string]: unknown;
}

/** `reviewResult` of any webhook that carries one: checked when present, the rest as sent. */
export class SumsubReviewResultDto extends SumsubReviewDetails {
  /** `GREEN` (approved) or `RED` (rejected), when the webhook carries an answer. */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  reviewAnswer?: SumsubReviewAnswer | (string & {});

  /** For a `RED` answer: `RETRY` (the applicant may resubmit) or `FINAL`. */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  reviewRejectType?: SumsubReviewRejectType | (string & {});
}

/** `reviewResult` of `applicantReviewed`: the final answer, GREEN or RED. */
export class SumsubFinalReviewResultDto extends SumsubReviewDetails {
  /** `GREEN` (approved) or `RED` (rejected). */
  @IsIn(['GREEN', 'RED'])
  reviewAnswer!: SumsubReviewAnswer;

  /** For a `RED` answer: `RETRY` (the applicant may resubmit) or `FINAL`. */
  @IsOptional()
  @IsIn(['FINAL', 'RETRY'])
  reviewRejectType?: SumsubReviewRejectType;
}

/** What every Sumsub webhook carries: its type and when Sumsub created it; the rest checked when present. */
class SumsubEventFields {
  /** The webhook type: `applicantReviewed`, `applicantPending`, ... */
  @IsString()
  @Matches(TYPE, { message: '$property must be a Sumsub webhook type such as applicantReviewed' })
  type!: string;

  /**
   * When Sumsub created the webhook, in UTC, as Sumsub writes it: `2021-05-14 16:00:25.032`. It
   * bounds how long a delivery is accepted (`maxEventAgeSeconds`), so it is required.
   */
  @IsString()
  @IsReadableTime(readSumsubTime, {
    message: '$property must be a UTC time like 2021-05-14 16:00:25.032',
  })
  createdAtMs!: string;

  /** The applicant's inspection. */
  @OptionalId() inspectionId?: string;
  /** Sumsub's identifier of the request behind the webhook (`req-...`), the same on each retry. */
  @OptionalText(256) correlationId?: string;
  /** Your own id of the user, as you gave it when creating the applicant. */
  @OptionalText() externalUserId?: string;
  /** The verification level. */
  @OptionalText(256) levelName?: string;
  /** The applicant's status: `init`, `pending`, `completed`, `onHold`, ... */
  @OptionalText(64) reviewStatus?: SumsubReviewStatus | (string & {});
  /** `true` when the webhook comes from Sumsub's sandbox. */
  @IsOptional()
  @IsBoolean()
  sandboxMode?: boolean;
  /** `individual` or `company`. */
  @OptionalText(64) applicantType?: string;

  [field: string]: unknown;
}

/** Any Sumsub webhook, of a type the library does not type: `applicantId` and `reviewResult` when present. */
export class SumsubWebhookEventDto extends SumsubEventFields {
  /** The applicant the webhook is about. */
  @OptionalId() applicantId?: string;

  /** The review's answer and details, when the webhook carries one. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SumsubReviewResultDto)
  reviewResult?: SumsubReviewResultDto;
}

/** A typed applicant webhook: `applicantId` is required. */
export class SumsubApplicantEventDto extends SumsubEventFields {
  /** The applicant the webhook is about. */
  @IsString()
  @Matches(ID, { message: '$property must be a Sumsub id (letters, digits, - and _)' })
  applicantId!: string;

  /** The review's answer and details, when the webhook carries one. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SumsubReviewResultDto)
  reviewResult?: SumsubReviewResultDto;
}

/** `applicantReviewed`: verification is complete; `reviewResult.reviewAnswer` says how. */
export class SumsubApplicantReviewedEventDto extends SumsubEventFields {
  /** The applicant the webhook is about. */
  @IsString()
  @Matches(ID, { message: '$property must be a Sumsub id (letters, digits, - and _)' })
  applicantId!: string;

  /** The final answer (`GREEN` or `RED`) and, for `RED`, why and whether the applicant may retry. */
  @IsObject()
  @ValidateNested()
  @Type(() => SumsubFinalReviewResultDto)
  reviewResult!: SumsubFinalReviewResultDto;
}
