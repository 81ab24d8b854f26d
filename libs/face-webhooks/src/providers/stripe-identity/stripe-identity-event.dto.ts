import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  STRIPE_VERIFICATION_SESSION_STATUSES,
  type StripeVerificationSessionStatus,
} from './stripe-identity.event-types.js';

/** The largest time a JavaScript `Date` holds, in seconds. */
const MAX_DATE_SECONDS = 8_640_000_000_000;

/** `VerificationSession.LastError.Code` of stripe-node 23.2.0; Stripe may add codes. */
export type StripeVerificationLastErrorCode =
  | 'abandoned'
  | 'consent_declined'
  | 'country_not_supported'
  | 'device_not_supported'
  | 'document_expired'
  | 'document_type_not_supported'
  | 'document_unverified_other'
  | 'email_unverified_other'
  | 'email_verification_declined'
  | 'id_number_insufficient_document_data'
  | 'id_number_mismatch'
  | 'id_number_unverified_other'
  | 'phone_unverified_other'
  | 'phone_verification_declined'
  | 'selfie_document_missing_photo'
  | 'selfie_face_mismatch'
  | 'selfie_manipulated'
  | 'selfie_unverified_other'
  | 'under_supported_age'
  | (string & {});

/** Why the last verification failed: set when a session goes back to `requires_input`. */
export class StripeVerificationLastErrorDto {
  /** A short machine-readable reason; new codes are accepted (typed as the known ones or a string). */
  @ValidateIf((error: StripeVerificationLastErrorDto) => error.code !== null)
  @IsString()
  @MaxLength(256)
  code!: StripeVerificationLastErrorCode | null;

  /** A message that explains the failure. */
  @ValidateIf((error: StripeVerificationLastErrorDto) => error.reason !== null)
  @IsString()
  reason!: string | null;
}

/** A verified date of birth; parts Stripe did not read are `null`. */
export class StripeVerifiedDobDto {
  /** Day of the month, 1-31. */
  @IsOptional() @IsInt() @Min(1) @Max(31) day?: number | null;
  /** Month, 1-12. */
  @IsOptional() @IsInt() @Min(1) @Max(12) month?: number | null;
  /** Year, four digits. */
  @IsOptional() @IsInt() @Min(0) @Max(9999) year?: number | null;
}

/**
 * The user's verified data. Stripe includes it only when the session is expanded, so an event
 * rarely carries it: fetch the session with `expand: ['verified_outputs']` after `verified`.
 * Every field is optional; what is there must have its type.
 */
export class StripeVerifiedOutputsDto {
  /** The verified first name. */
  @IsOptional() @IsString() first_name?: string | null;
  /** The verified last name. */
  @IsOptional() @IsString() last_name?: string | null;
  /** The verified email address. */
  @IsOptional() @IsString() email?: string | null;
  /** The verified phone number. */
  @IsOptional() @IsString() phone?: string | null;
  /** The type of the verified ID number (`br_cpf`, `sg_nric`, `us_ssn`, ...). */
  @IsOptional() @IsString() id_number_type?: string | null;
  /** The verified ID number (only when the session is expanded with `verified_outputs.id_number`). */
  @IsOptional() @IsString() id_number?: string | null;
  /** The verified sex, as Stripe reads it from the document. */
  @IsOptional() @IsString() sex?: string | null;
  /** The verified address: `line1`, `line2`, `city`, `postal_code`, `state`, `country`. */
  @IsOptional()
  @IsObject()
  address?: Record<string, string | null> | null;
  /** The verified date of birth. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StripeVerifiedDobDto)
  dob?: StripeVerifiedDobDto | null;
}

/**
 * An Identity VerificationSession as events carry it (`data.object`). Strict on what handlers use:
 * its id, status, last error, verified outputs and the app's link to its user
 * (`client_reference_id`, `metadata`); every other field is kept as sent, unchecked.
 */
export class StripeVerificationSessionDto {
  /** `vs_...`. */
  @IsString()
  @Matches(/^vs_[A-Za-z0-9_]{1,250}$/, { message: '$property must be a VerificationSession id (vs_...)' })
  id!: string;

  /** Always `'identity.verification_session'`. */
  @Equals('identity.verification_session')
  object!: 'identity.verification_session';

  /** Strict: a status this library does not know is refused (400), so a handler's switch is complete. */
  @IsIn(STRIPE_VERIFICATION_SESSION_STATUSES)
  status!: StripeVerificationSessionStatus;

  /** Set when the last verification failed; `null` otherwise. */
  @ValidateIf((session: StripeVerificationSessionDto) => session.last_error !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => StripeVerificationLastErrorDto)
  last_error!: StripeVerificationLastErrorDto | null;

  /** Only when expanded, so usually absent from events. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StripeVerifiedOutputsDto)
  verified_outputs?: StripeVerifiedOutputsDto | null;

  /**
   * The reference the app set when it created the session (its user or order id). Optional:
   * endpoints pinned to an older API version may leave it out.
   */
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  client_reference_id?: string | null;

  /** The app's key-value pairs (emptied once the session is redacted). */
  @IsObject()
  metadata!: Record<string, string>;

  /** `vr_...`, the latest VerificationReport, or `null`. Not checked. */
  last_verification_report?: string | null;
  /** `document`, `id_number` or `verification_flow`. Not checked. */
  type?: string;
  /** Unix seconds. Not checked. */
  created?: number;
  /** `true` for a live-mode session, `false` in test mode. Not checked. */
  livemode?: boolean;
  /** `{ status: 'processing' | 'redacted' }` once redaction was asked for. Not checked. */
  redaction?: {
    /** `processing` or `redacted`. */
    status: string;
  } | null;
}

/** `data.object` of an event this provider does not type: any Stripe object with an id. */
export class StripeObjectDto {
  /** The object's id. */
  @IsString()
  @MaxLength(255)
  id!: string;

  /** The object's type: `identity.verification_report`, ... */
  @IsString()
  @MaxLength(255)
  object!: string;
}

class StripeEventDataDto {
  @IsObject()
  @ValidateNested()
  @Type(() => StripeObjectDto)
  object!: StripeObjectDto;

  /** On update events: the fields that changed, with their previous values. Not checked. */
  previous_attributes?: Record<string, unknown>;
}

class StripeVerificationSessionEventDataDto {
  @IsObject()
  @ValidateNested()
  @Type(() => StripeVerificationSessionDto)
  object!: StripeVerificationSessionDto;

  previous_attributes?: Record<string, unknown>;
}

/** The fields of every Stripe event (a snapshot `Event`, `object: 'event'`). */
abstract class StripeEventEnvelopeDto {
  /** `evt_...`: the same on every retry of the event, so it de-duplicates deliveries. */
  @IsString()
  @Matches(/^evt_[A-Za-z0-9_]{1,250}$/, { message: '$property must be a Stripe event id (evt_...)' })
  id!: string;

  /** Always `'event'`: a snapshot event. */
  @Equals('event', {
    message: "object must be 'event' (a snapshot event; thin events are not accepted here)",
  })
  object!: 'event';

  /**
   * `identity.*` only: this endpoint receives Stripe Identity events, and another Stripe event here
   * means the endpoint in the Stripe Dashboard listens to more than it should.
   */
  @IsString()
  @Matches(/^identity\.[a-z0-9_]{1,64}(\.[a-z0-9_]{1,64}){1,3}$/, {
    message:
      'type must be a Stripe Identity event type (identity.*): this endpoint receives Identity events only, so select only identity.verification_session.* events on the Stripe webhook endpoint',
  })
  type!: string;

  /** When the event was created, Unix seconds. */
  @IsInt()
  @Min(0)
  @Max(MAX_DATE_SECONDS)
  created!: number;

  /** `true` for a live-mode event, `false` for a test-mode one. */
  @IsBoolean()
  livemode!: boolean;

  /** The API version the event is rendered in (the endpoint's, or the account's). Not checked. */
  api_version?: string | null;
  /** The connected account the event is about (Connect endpoints). Not checked. */
  account?: string;
  /** How many webhook deliveries of this event had not succeeded yet when this one was sent. Not checked. */
  pending_webhooks?: number;
  /** The API request that caused the event. Not checked. */
  request?: {
    /** The id of the API request that caused the event; `null` for automatic events. */
    id: string | null;
    /** The idempotency key of that request, if it had one. */
    idempotency_key: string | null;
  } | null;
}

/** A Stripe Identity event whose `data.object` is not a VerificationSession (a type added later). */
export class StripeIdentityEventDto extends StripeEventEnvelopeDto {
  /** `data.object`, the Stripe object the event is about (id and `object` checked), and on update events `data.previous_attributes`. */
  @IsObject()
  @ValidateNested()
  @Type(() => StripeEventDataDto)
  data!: StripeEventDataDto;
}

/** An `identity.verification_session.*` event: `data.object` is the session, checked. */
export class StripeVerificationSessionEventDto extends StripeEventEnvelopeDto {
  /** `data.object`, the VerificationSession, checked; on update events also `data.previous_attributes`. */
  @IsObject()
  @ValidateNested()
  @Type(() => StripeVerificationSessionEventDataDto)
  data!: StripeVerificationSessionEventDataDto;
}
