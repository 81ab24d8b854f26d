import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FaceEventOf, FaceEventTypesMatching } from '../../contracts/face-event-map.js';
import { StripeIdentityEventDto, StripeVerificationSessionEventDto } from './stripe-identity-event.dto.js';
import { STRIPE_IDENTITY_EVENT_TYPES } from './stripe-identity.events.js';
import { stripeIdentityFixture } from './stripe-identity.fixtures.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

/** The messages class-validator gives, with their paths, as the pipeline reports them. */
function problems(dto: new () => object, body: unknown): string[] {
  const errors = validateSync(plainToInstance(dto, body as object), { forbidUnknownValues: true });
  const out: string[] = [];
  const walk = (list: typeof errors, path: string) => {
    for (const error of list) {
      const here = path ? `${path}.${error.property}` : error.property;
      for (const message of Object.values(error.constraints ?? {}))
        out.push(`${path ? `${path}.` : ''}${message}`);
      if (error.children?.length) walk(error.children, here);
    }
  };
  walk(errors, '');
  return out;
}

describe('Stripe Identity event DTOs', () => {
  it('types every event, with the session under data.object', () => {
    assertType<
      Equal<
        FaceEventTypesMatching<'stripe-identity.**'>,
        `stripe-identity.${(typeof STRIPE_IDENTITY_EVENT_TYPES)[number]}`
      >
    >();
    assertType<
      Equal<
        FaceEventOf<'stripe-identity.identity.verification_session.verified'>['data']['data']['object']['status'],
        'requires_input' | 'processing' | 'verified' | 'canceled'
      >
    >();
    expect(STRIPE_IDENTITY_EVENT_TYPES).toHaveLength(6);
  });

  it.each(STRIPE_IDENTITY_EVENT_TYPES.map((type) => [type]))('accepts the %s fixture', (type) => {
    expect(problems(StripeVerificationSessionEventDto, stripeIdentityFixture(type))).toEqual([]);
  });

  it('accepts unknown fields anywhere, verified outputs, null last_error parts and no client_reference_id', () => {
    const fixture = stripeIdentityFixture('identity.verification_session.verified');
    const body = {
      ...fixture,
      context: 'acct_1',
      brand_new: { x: 1 },
      data: {
        object: {
          ...fixture.data.object,
          client_reference_id: undefined,
          last_error: { code: null, reason: null },
          verified_outputs: {
            first_name: 'Jenny',
            last_name: 'Rosen',
            dob: { day: 1, month: 2, year: 1990 },
            address: { line1: '1 Main St', city: null },
            id_number_type: null,
            new_output: true,
          },
          future_field: [1, 2],
        },
      },
    };
    expect(problems(StripeVerificationSessionEventDto, body)).toEqual([]);
  });

  it.each([
    [
      'a missing event id',
      (f: Record<string, unknown>) => ({ ...f, id: undefined }),
      'id must be a Stripe event id',
    ],
    [
      'a thin event',
      (f: Record<string, unknown>) => ({ ...f, object: 'v2.core.event' }),
      "object must be 'event'",
    ],
    [
      'a payment event',
      (f: Record<string, unknown>) => ({ ...f, type: 'charge.succeeded' }),
      'type must be a Stripe Identity event type',
    ],
    [
      'created as a date string',
      (f: Record<string, unknown>) => ({ ...f, created: '2026-12-05' }),
      'created must be an integer',
    ],
  ])('refuses %s, naming the field', (_name, change, message) => {
    const fixture = stripeIdentityFixture('identity.verification_session.verified') as unknown as Record<
      string,
      unknown
    >;
    expect(problems(StripeVerificationSessionEventDto, change(fixture)).join('\n')).toContain(message);
  });

  it.each([
    ['a session id that is not vs_', { id: 'cs_123' }, 'data.object.id must be a VerificationSession id'],
    [
      'another object',
      { object: 'identity.verification_report' },
      'data.object.object must be equal to identity.verification_session',
    ],
    ['an unknown status', { status: 'approved' }, 'data.object.status must be one of the following values'],
    ['last_error missing', { last_error: undefined }, 'data.object.last_error must be an object'],
    [
      'last_error.code a number',
      { last_error: { code: 3, reason: null } },
      'data.object.last_error.code must be a string',
    ],
    ['metadata missing', { metadata: undefined }, 'data.object.metadata must be an object'],
    [
      'client_reference_id a number',
      { client_reference_id: 7 },
      'data.object.client_reference_id must be a string',
    ],
    [
      'verified_outputs.dob.month 13',
      { verified_outputs: { dob: { day: 1, month: 13, year: 1990 } } },
      'data.object.verified_outputs.dob.month must not be greater than 12',
    ],
  ])('refuses %s in the session, naming the field', (_name, change, message) => {
    const fixture = stripeIdentityFixture('identity.verification_session.requires_input');
    const body = { ...fixture, data: { object: { ...fixture.data.object, ...change } } };
    expect(problems(StripeVerificationSessionEventDto, body).join('\n')).toContain(message);
  });

  it('checks only the envelope of an identity event that is not about a session', () => {
    const body = {
      ...stripeIdentityFixture('identity.verification_session.created'),
      type: 'identity.verification_report.created',
      data: { object: { id: 'vr_123', object: 'identity.verification_report', anything: true } },
    };
    expect(problems(StripeIdentityEventDto, body)).toEqual([]);
    expect(problems(StripeIdentityEventDto, { ...body, type: 'customer.created' }).join()).toContain(
      'type must be',
    );
  });
});
