/**
 * What a Standard Webhooks event type looks like: full-stop separated identifiers
 * (`invoice.paid`, `contact.created`), at most 128 characters. The spec recommends `[a-zA-Z0-9_]`;
 * `-` is accepted too, as some senders use it.
 */
export const STANDARD_EVENT_TYPE_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/** The longest event type accepted, in characters. */
export const STANDARD_EVENT_TYPE_MAX_LENGTH = 128;

/** Whether `type` is a well-formed Standard Webhooks event type. */
export function isStandardEventType(type: unknown): boolean {
  return (
    typeof type === 'string' &&
    type.length <= STANDARD_EVENT_TYPE_MAX_LENGTH &&
    STANDARD_EVENT_TYPE_PATTERN.test(type)
  );
}

/**
 * The types the testing kit and the CLI have a sample body for. The spec has no catalogue of
 * types (each sender defines its own, and an app declares the ones it handles with the `events`
 * option): these are the spec's own example, `contact.created`, and the `invoice.paid` it uses
 * to explain fan-out.
 */
export const STANDARD_FIXTURE_TYPES = ['contact.created', 'invoice.paid'] as const;
/** A type `standardWebhookFixture` (`nestjs-face-webhooks/testing`) has a sample body for: `contact.created` or `invoice.paid`. */
export type StandardFixtureType = (typeof STANDARD_FIXTURE_TYPES)[number];
