import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { createFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthSuccess,
} from '../../contracts/face-webhook-provider.interface.js';
import { buildFaceEvent } from '../../pipeline/face-event.factory.js';
import { StandardWebhookEventDto } from './standard-event.dto.js';
import { standardProviderDefinition as definition } from './standard.definition.js';
import { STANDARD_FIXTURE_TYPES } from './standard.event-types.js';
import type { StandardWebhookOptions } from './standard.options.js';
import { signStandardWebhookRequest } from './standard.signer.js';

class LineDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

class InvoicePaidData {
  @IsString() @Matches(/^in_/) id!: string;
  @IsInt() @Min(0) amountPaid!: number;
  @IsIn(['usd', 'eur']) currency!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => LineDto) lines?: LineDto[];
}

const SECRET = definition.testing.testSecret;
const PUBLIC_KEY = 'whpk_ZlN4eg7dSSqi0moX9hQUk3orrOouK3QVQSlJa248c/g=';
const SEED = 'whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=';

const provider = (options: StandardWebhookOptions): FaceWebhookProvider =>
  createFaceWebhookProvider(definition, options);

function deliver(
  target: FaceWebhookProvider,
  body: object,
  sign: { secret?: string; privateKey?: string } = { secret: SECRET },
) {
  const signed = signStandardWebhookRequest({ ...sign, body });
  const auth = target.authenticate({
    method: 'POST',
    url: '/webhooks/standard',
    headers: signed.headers,
    secure: false,
    rawBody: Buffer.from(signed.body),
  });
  if (!auth.ok) throw new Error(auth.reason);
  return {
    auth,
    event: buildFaceEvent(target, Buffer.from(signed.body), new Date(), undefined, auth.eventId),
  };
}

const invoice = (data: Record<string, unknown> = {}) => ({
  type: 'invoice.paid',
  timestamp: '2022-11-03T20:26:10.344522Z',
  data: { id: 'in_1', amountPaid: 4200, currency: 'usd', ...data },
});

const messages = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { message: string[] }).message;
    throw error;
  }
  throw new Error('no 400');
};

describe('Standard Webhooks provider', () => {
  describe('options', () => {
    const problems = (options: StandardWebhookOptions, required = true) =>
      definition.validateOptions(options, required);

    it('takes a secret, a public key, or both, with or without their prefixes', () => {
      expect(problems({ secret: SECRET })).toEqual([]);
      expect(problems({ secret: SECRET.slice('whsec_'.length) })).toEqual([]);
      expect(problems({ publicKey: PUBLIC_KEY })).toEqual([]);
      expect(
        problems({ publicKey: [PUBLIC_KEY, PUBLIC_KEY.slice('whpk_'.length)], secret: [SECRET] }),
      ).toEqual([]);
      expect(problems({}, false)).toEqual([]);
      expect(definition.hasCredentials({})).toBe(false);
      expect(definition.hasCredentials({ publicKey: PUBLIC_KEY })).toBe(true);
    });

    it('names each problem', () => {
      expect(problems({})).toEqual([
        expect.stringContaining('standard.secret or standard.publicKey is required'),
      ]);
      expect(problems({ secret: '' })).toEqual([expect.stringContaining('standard.secret is required')]);
      expect(problems({ secret: 'whsec_not base64!' })).toEqual([
        'standard.secret must be whsec_ followed by base64, as the sender shows it',
      ]);
      expect(problems({ secret: [SECRET, PUBLIC_KEY] })).toEqual([
        'standard.secret[1] is an Ed25519 key: give the whpk_ public key as standard.publicKey',
      ]);
      expect(problems({ publicKey: SEED })).toEqual([
        expect.stringContaining('standard.publicKey is a whsk_ secret key'),
      ]);
      expect(problems({ publicKey: SECRET })).toEqual([
        'standard.publicKey must be whpk_ followed by the base64 of a 32-byte Ed25519 public key',
      ]);
      expect(problems({ secret: SECRET, toleranceSeconds: 0 })).toEqual([
        'standard.toleranceSeconds must be a whole number of seconds from 1 to 3600',
      ]);
      expect(
        problems({ secret: SECRET, events: { 'invoice.*': InvoicePaidData, 'a.b': 'x' as never } }),
      ).toEqual([
        expect.stringContaining('standard.events: "invoice.*" is not an event type'),
        'standard.events["a.b"] must be the class (a class-validator DTO) of its data',
      ]);
      expect(problems({ secret: SECRET, events: [] as never })).toEqual([
        'standard.events must map event types to the classes of their data',
      ]);
    });

    it('keeps secrets and public keys to the tenant, which may bring its own tolerance', () => {
      expect(definition.tenantOnlySettings).toEqual(['secret', 'publicKey']);
      expect(definition.tenantSettings).toEqual(['secret', 'publicKey', 'toleranceSeconds']);
    });
  });

  describe('events', () => {
    const target = provider({
      secret: SECRET,
      publicKey: PUBLIC_KEY,
      events: { 'invoice.paid': InvoicePaidData },
    });

    it("validates a declared type's data against the app's class, and names the id the webhook-id", () => {
      expect(target.knownTypes).toEqual(new Set(['invoice.paid']));
      const { auth, event } = deliver(target, invoice({ lines: [{ sku: 'a', quantity: 2 }] }));
      expect(event.id).toBe((auth as WebhookAuthSuccess).eventId);
      expect(event.id).toMatch(/^msg_/);
      expect(event.type).toBe('standard.invoice.paid');
      expect(event.occurredAt.toISOString()).toBe('2022-11-03T20:26:10.344Z');
      expect(event.data).toBeInstanceOf(StandardWebhookEventDto);
      const data = (event.data as StandardWebhookEventDto).data;
      expect(data).toBeInstanceOf(InvoicePaidData);
      expect((data as unknown as InvoicePaidData).lines![0]).toBeInstanceOf(LineDto);
    });

    it('refuses a declared type whose data breaks its class, naming data.<field>', () => {
      const problems = messages(() => deliver(target, invoice({ amountPaid: '42', currency: 'gbp' })));
      expect(problems).toEqual(
        expect.arrayContaining([
          'data.amountPaid must be an integer number',
          'data.currency must be one of the following values: usd, eur',
        ]),
      );
      expect(problems.every((problem) => problem.startsWith('data.'))).toBe(true);
      expect(messages(() => deliver(target, invoice({ lines: [{ sku: 'a', quantity: 0 }] })))).toEqual([
        expect.stringMatching(/^data\.lines\.0\.quantity /),
      ]);
      expect(messages(() => deliver(target, { ...invoice(), data: [] }))).toEqual([
        expect.stringMatching(/^data must be an object/),
      ]);
    });

    it('accepts other types with any object as data, and a v1a signature', () => {
      const { event } = deliver(
        target,
        { type: 'invoice.voided', timestamp: '2026-01-01T00:00:00Z', data: { anything: [1] }, extra: true },
        { privateKey: SEED },
      );
      expect(event.type).toBe('standard.invoice.voided');
      expect(event.data).toMatchObject({ data: { anything: [1] }, extra: true });
      expect(Object.getPrototypeOf(event.data)).toBe(StandardWebhookEventDto.prototype);
    });

    it.each([
      ['a type with a wildcard', { type: 'invoice.*' }, 'type'],
      ['a type of 129 characters', { type: 'a'.repeat(129) }, 'type'],
      ['a time that is not ISO 8601', { timestamp: '03/11/2022' }, 'timestamp'],
      ['a time Date cannot read', { timestamp: '20221103T202610Z' }, 'timestamp'],
      ['no data', { data: undefined }, 'data'],
      ['data as a string', { data: 'x' }, 'data'],
    ])('refuses %s (400 naming the field)', (_name, change, field) => {
      const body = { type: 'contact.created', timestamp: '2026-01-01T00:00:00Z', data: {}, ...change };
      expect(messages(() => deliver(target, body)).join(' ')).toMatch(new RegExp(`^${field} `));
    });

    it('makes one body class per data class, shared by every tenant', () => {
      const other = provider({ secret: SECRET, events: { 'invoice.paid': InvoicePaidData } });
      expect(other.selectDto!({ type: 'invoice.paid' })).toBe(target.selectDto!({ type: 'invoice.paid' }));
      expect(target.selectDto!({ type: '__proto__' })).toBe(StandardWebhookEventDto);
      expect(target.selectDto!({ type: 7 })).toBe(StandardWebhookEventDto);
    });
  });

  it("testing kit: every fixture, signed by the kit, passes the provider's own options", () => {
    const target = provider(definition.testing.options(SECRET));
    for (const type of STANDARD_FIXTURE_TYPES) {
      const body = JSON.stringify(definition.testing.fixture(type));
      const signed = definition.testing.sign(SECRET, 'http://localhost/webhooks/standard', body);
      const auth = target.authenticate({
        method: 'POST',
        url: '/webhooks/standard',
        headers: signed.headers,
        secure: false,
        rawBody: Buffer.from(signed.body),
      });
      expect(auth).toMatchObject({ ok: true });
      const event = buildFaceEvent(
        target,
        Buffer.from(signed.body),
        new Date(),
        undefined,
        (auth as WebhookAuthSuccess).eventId,
      );
      expect(event.type).toBe(`standard.${type}`);
    }
    // Two fixtures of a type are two events.
    expect(definition.testing.fixture('invoice.paid')).not.toEqual(
      definition.testing.fixture('invoice.paid'),
    );
  });
});
