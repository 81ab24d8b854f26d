import { BadRequestException } from '@nestjs/common';
import { validateDto } from '../../pipeline/body/dto-validation.js';
import {
  personaAttribute,
  PersonaInquiryEventDto,
  PersonaVerificationEventDto,
  PersonaWebhookEventDto,
} from './persona-event.dto.js';
import { personaProviderDefinition } from './persona.definition.js';
import { PERSONA_EVENT_TYPES } from './persona.event-types.js';
import { personaFixture } from './persona.fixtures.js';

const provider = personaProviderDefinition.create({ secret: 'wbhsec_x' });
const validate = (body: Record<string, unknown>) =>
  validateDto(provider.selectDto!(body), JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
const messages = (body: Record<string, unknown>): string[] => {
  try {
    validate(body);
  } catch (error) {
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('the body validated');
};

type Json = Record<string, unknown>;
/** The object at a dotted path of a body, to change it. */
const at = (body: object, path: string): Json =>
  path.split('.').reduce<Json>((object, key) => object[key] as Json, body as Json);

/** Persona's key inflection, applied to every key (camel or snake), as a webhook set to it sends. */
function inflect(value: unknown, style: 'camel' | 'snake'): unknown {
  if (Array.isArray(value)) return value.map((item) => inflect(item, style));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      style === 'camel'
        ? key.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())
        : key.replaceAll('-', '_'),
      inflect(inner, style),
    ]),
  );
}

describe('Persona bodies', () => {
  it.each(PERSONA_EVENT_TYPES.map((type) => [type]))('validates and describes a %s fixture', (type) => {
    const body = personaFixture(type, new Date('2026-03-16T19:35:16.123Z'));
    const data = validate(body as never);
    expect(data).toBeInstanceOf(
      type.startsWith('inquiry.') ? PersonaInquiryEventDto : PersonaVerificationEventDto,
    );
    expect(provider.describe(data, Buffer.alloc(0))).toEqual({
      type,
      id: body.data.id,
      occurredAt: new Date('2026-03-16T19:35:16.123Z'),
    });
  });

  it('validates the example of the Persona webhooks page', () => {
    // docs.withpersona.com/webhooks "Example event from webhook", its missing commas added.
    const example = {
      data: {
        type: 'event',
        id: 'evt_XGuYWp7WuDzNxie5z16s7sGJ',
        attributes: {
          name: 'inquiry.approved',
          payload: {
            data: {
              type: 'inquiry',
              id: 'inq_2CVZ4HyVg7qaboXz2PUHknAn',
              attributes: {
                status: 'approved',
                'reference-id': null,
                'created-at': '2019-09-09T22:40:56.000Z',
                'completed-at': '2019-09-09T22:44:51.000Z',
                'expired-at': null,
              },
              relationships: {
                reports: { data: [] },
                template: { data: { id: 'blu_biqYXr3aNfHuLeXUdJUNFNET', type: 'template' } },
                verifications: {
                  data: [
                    { id: 'ver_KnqQRXmxmtquRE65CHTzymhR', type: 'verification/driver-license' },
                    { id: 'ver_2aguhcwq66zcmqipmrqjxw68', type: 'verification/selfie' },
                  ],
                },
              },
            },
            included: [
              { type: 'template', id: 'blu_biqYXr3aNfHuLeXUdJUNFNET', attributes: { name: 'Acme #1' } },
            ],
          },
          'created-at': '2019-09-09T22:46:00.000Z',
        },
      },
    };
    const data = validate(example) as PersonaInquiryEventDto;
    expect(data.data.attributes.payload.data.attributes.status).toBe('approved');
    expect(personaAttribute(data.data.attributes.payload.data.attributes, 'reference-id')).toBeNull();
    expect(provider.describe(data, Buffer.alloc(0)).occurredAt).toEqual(new Date('2019-09-09T22:46:00.000Z'));
  });

  it.each(['camel', 'snake'] as const)('accepts %s key inflection and reads it alike', (style) => {
    const body = inflect(
      personaFixture('inquiry.approved', new Date('2026-03-16T19:35:16Z')),
      style,
    ) as Record<string, unknown>;
    const data = validate(body) as PersonaInquiryEventDto;
    expect(personaAttribute(data.data.attributes.payload.data.attributes, 'reference-id')).toBe('user_4242');
    expect(provider.describe(data, Buffer.alloc(0)).occurredAt).toEqual(new Date('2026-03-16T19:35:16Z'));
    const bad = inflect(personaFixture('inquiry.approved'), style) as Json;
    at(bad, 'data.attributes.payload.data.attributes')[style === 'camel' ? 'referenceId' : 'reference_id'] =
      42;
    expect(messages(bad as never).join()).toMatch(/reference(Id|_id) must be a string/);
  });

  it('keeps unknown fields and accepts unknown events with the generic envelope', () => {
    const body = personaFixture('inquiry.created');
    at(body, 'data.attributes')['brand-new-field'] = { anything: [1, 2] };
    const data = validate(body as never);
    expect(data).toBeInstanceOf(PersonaWebhookEventDto);
    expect(provider.describe(data, Buffer.alloc(0)).type).toBe('inquiry.created');
    expect(at(data, 'data.attributes')['brand-new-field']).toEqual({ anything: [1, 2] });
    // report events carry a slash in their name; no payload.data check on an untyped event
    const report = personaFixture('report/watchlist.ready');
    report.data.attributes.payload = {
      data: { type: 'report/watchlist', id: 'rep_1', attributes: {} },
      included: [],
    };
    expect(validate(report as never)).toBeInstanceOf(PersonaWebhookEventDto);
  });

  it.each([
    ['a missing event id', (b: object) => delete at(b, 'data').id, 'data.id must be a Persona event id'],
    ['a wrong envelope type', (b: object) => (at(b, 'data').type = 'inquiry'), 'data.type must be one of'],
    [
      'a missing name',
      (b: object) => delete at(b, 'data.attributes').name,
      'data.attributes.name must be a Persona event name',
    ],
    [
      'a malformed name',
      (b: object) => (at(b, 'data.attributes').name = 'inquiry approved'),
      'data.attributes.name must be',
    ],
    [
      'a missing payload',
      (b: object) => delete at(b, 'data.attributes').payload,
      'data.attributes.payload must be an object',
    ],
    [
      'an inquiry id of another kind',
      (b: object) => (at(b, 'data.attributes.payload.data').id = 'ver_1'),
      'data.attributes.payload.data.id must be an inquiry id',
    ],
    [
      'a payload that is not an inquiry',
      (b: object) => (at(b, 'data.attributes.payload.data').type = 'account'),
      'data.attributes.payload.data.type must be one of',
    ],
    [
      'a missing status',
      (b: object) => delete at(b, 'data.attributes.payload.data.attributes').status,
      'data.attributes.payload.data.attributes.status must be',
    ],
    [
      'an upper-case status',
      (b: object) => (at(b, 'data.attributes.payload.data.attributes').status = 'APPROVED'),
      'status must be a lower-case status',
    ],
    [
      'a numeric reference-id',
      (b: object) => (at(b, 'data.attributes.payload.data.attributes')['reference-id'] = 7),
      'reference-id must be a string',
    ],
    [
      'an unreadable created-at',
      (b: object) => (at(b, 'data.attributes')['created-at'] = '2026-02-30T00:00:00Z'),
      'data.attributes.created-at must be',
    ],
    [
      'included that is not a list',
      (b: object) => (at(b, 'data.attributes.payload').included = {}),
      'data.attributes.payload.included must be an array',
    ],
  ])('refuses an inquiry event with %s, naming the field', (_name, change, message) => {
    const body = personaFixture('inquiry.marked-for-review');
    change(body);
    expect(messages(body as never).join('\n')).toContain(message);
  });

  it.each([
    [
      'a verification id of another kind',
      (b: object) => (at(b, 'data.attributes.payload.data').id = 'inq_1'),
      'payload.data.id must be a verification id',
    ],
    [
      'a payload that is an inquiry',
      (b: object) => (at(b, 'data.attributes.payload.data').type = 'inquiry'),
      'payload.data.type must be a verification type',
    ],
    [
      'a missing status',
      (b: object) => delete at(b, 'data.attributes.payload.data.attributes').status,
      'payload.data.attributes.status must be',
    ],
  ])('refuses a verification event with %s, naming the field', (_name, change, message) => {
    const body = personaFixture('verification.passed');
    change(body);
    expect(messages(body as never).join('\n')).toContain(message);
  });

  it('gives fixtures fresh ids, selfie and government-id verifications, and the status of the event', () => {
    const [a, b] = [personaFixture('inquiry.approved'), personaFixture('inquiry.approved')];
    expect(a.data.id).not.toBe(b.data.id);
    expect(a.data.attributes.payload.data.id).not.toBe(b.data.attributes.payload.data.id);
    expect(personaFixture('inquiry.marked-for-review').data.attributes.payload.data.attributes.status).toBe(
      'needs_review',
    );
    expect(personaFixture('verification.failed').data.attributes.payload.data).toMatchObject({
      type: 'verification/government-id',
      attributes: { status: 'failed' },
    });
  });

  it('checks its options', () => {
    expect(personaProviderDefinition.validateOptions({}, true)).toEqual([
      expect.stringContaining('persona.secret is required'),
    ]);
    expect(personaProviderDefinition.validateOptions({}, false)).toEqual([]);
    expect(personaProviderDefinition.validateOptions({ secret: ['a', ' '] }, true)).toHaveLength(1);
    expect(personaProviderDefinition.validateOptions({ secret: 'a', toleranceSeconds: 0 }, true)).toEqual([
      'persona.toleranceSeconds must be a whole number of seconds from 1 to 3600',
    ]);
  });
});
