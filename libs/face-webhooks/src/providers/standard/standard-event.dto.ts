import { Type } from 'class-transformer';
import { IsISO8601, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsReadableTime } from '../../contracts/is-readable-time.decorator.js';
import { STANDARD_EVENT_TYPE_MAX_LENGTH, STANDARD_EVENT_TYPE_PATTERN } from './standard.event-types.js';

/**
 * The body the Standard Webhooks spec recommends: `{ type, timestamp, data }`. `data` is any
 * object here; for the types an app declares (the `events` option) it is validated against the
 * app's class. Other top-level fields a sender adds are kept and never refused.
 */
export class StandardWebhookEventDto {
  /** The event type, full-stop separated: `invoice.paid`. */
  @IsString()
  @MaxLength(STANDARD_EVENT_TYPE_MAX_LENGTH)
  @Matches(STANDARD_EVENT_TYPE_PATTERN, {
    message: '$property must be full-stop separated identifiers of letters, digits, _ and -',
  })
  type!: string;

  /** When the event happened (not when this attempt was sent), ISO 8601. */
  @IsISO8601({ strict: true })
  @IsReadableTime()
  timestamp!: string;

  /** The event's data. */
  @IsObject()
  data!: Record<string, unknown>;
}

/**
 * A body whose `data` is an app's class: what an event of a type declared in `events` carries.
 * Use it in the event map: `'standard.invoice.paid': StandardWebhookPayload<InvoicePaidData>`.
 */
export type StandardWebhookPayload<TData extends object = Record<string, unknown>> = Omit<
  StandardWebhookEventDto,
  'data'
> & {
  /** The event's data, validated as the app's class for this type. */
  data: TData;
};

/** A class an app declares for the `data` of one event type. */
export type StandardEventDataClass = new () => object;

const envelopes = new WeakMap<StandardEventDataClass, new () => StandardWebhookEventDto>();

/**
 * The body DTO whose `data` is validated as `dataClass` (nested, each field's message naming
 * `data.<field>`): a subclass of {@link StandardWebhookEventDto}, made once per data class.
 */
export function standardEnvelopeFor(dataClass: StandardEventDataClass): new () => StandardWebhookEventDto {
  let envelope = envelopes.get(dataClass);
  if (envelope === undefined) {
    class StandardWebhookTypedEventDto extends StandardWebhookEventDto {}
    Object.defineProperty(StandardWebhookTypedEventDto, 'name', {
      value: `StandardWebhookEventDto<${dataClass.name || 'anonymous'}>`,
    });
    ValidateNested()(StandardWebhookTypedEventDto.prototype, 'data');
    Type(() => dataClass)(StandardWebhookTypedEventDto.prototype, 'data');
    envelope = StandardWebhookTypedEventDto;
    envelopes.set(dataClass, envelope);
  }
  return envelope;
}
