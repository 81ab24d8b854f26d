import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { FaceioWebhookEventDto } from '../../providers/faceio/faceio-event.dto.js';
import { faceioFixture } from '../../providers/faceio/faceio.fixtures.js';
import { FaceSignWebhookEventDto } from '../../providers/facesign/facesign-event.dto.js';
import { faceSignFixture } from '../../providers/facesign/facesign.fixtures.js';
import {
  IdaasFaceBiometricCreatedEventDto,
  IdaasWebhookEventDto,
} from '../../providers/idaas/idaas-event.dto.js';
import { idaasFixture } from '../../providers/idaas/idaas.fixtures.js';
import { surelyValid } from './fast-validation.js';

// The fast path may only say "valid" when class-validator says so, and never "invalid" when it says
// valid (it may be unsure: then class-validator decides). Checked on fixtures changed at random.
const OPTIONS = { forbidUnknownValues: true, validationError: { target: false } };
const CASES = [
  ['FACEIO', FaceioWebhookEventDto, () => faceioFixture('ENROLL')],
  ['FaceSign media', FaceSignWebhookEventDto, () => faceSignFixture('media.user_photo')],
  ['FaceSign status', FaceSignWebhookEventDto, () => faceSignFixture('session.status')],
  ['IDaaS envelope', IdaasWebhookEventDto, () => idaasFixture('user.created')],
  ['IDaaS face', IdaasFaceBiometricCreatedEventDto, () => idaasFixture('face.biometric.created')],
] as const;

const hostileValue = fc.oneof(
  fc.constantFrom(undefined, null, '', ' ', 0, -1, 1.5, 1e308, true, [], {}, [1], { a: 1 }),
  fc.constantFrom('ENROLL', 'enroll', 'AUTH.*', '203.0.113.9', '2001:db8::1', 'localhost', 'not an ip'),
  fc.constantFrom(
    '2026-11-24',
    '2026-11-24T07:55:59',
    '24/11/2026',
    'https://media.example.com/a.jpg',
    'ftp://x',
    'image/jpeg',
    'text',
  ),
  fc.constantFrom('media.user_photo', 'session.status', 'face.biometric.created', 'x'.repeat(300)),
  // Around @MaxLength's bounds, with the characters validator.js counts differently from .length.
  fc.constantFrom('x'.repeat(64), 'x'.repeat(65), '😀'.repeat(40), 'a\uFE0F'.repeat(40), 'x'.repeat(513)),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);
const paths = fc.constantFrom(
  'eventName',
  'facialId',
  'appId',
  'clientIp',
  'payload',
  'details',
  'details.timestamp',
  'details.age',
  'details.gender',
  'id',
  'type',
  'createdAt',
  'sessionId',
  'media',
  'media.url',
  'media.expires',
  'media.contentType',
  'media.id',
  'media.createdAt',
  'accountId',
  'eventTime',
  'data',
  'data.subject',
  'data.subjectType',
  'data.entityType',
  'data.entityId',
  'data.sourceIp',
  'data.entityAttributes',
  'data.entityAttributes.userId',
  'data.entityAttributes.status',
  'unexpected',
);

function setPath(body: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = body;
  for (const key of keys.slice(0, -1)) {
    if (target[key] === null || typeof target[key] !== 'object') return; // nothing to change below a leaf
    target = target[key] as Record<string, unknown>;
  }
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
}

describe('surelyValid', () => {
  it.each(CASES)('agrees with class-validator on valid %s fixtures', (_name, dto, fixture) => {
    const instance = plainToInstance(dto as new () => object, fixture());
    expect(validateSync(instance, OPTIONS)).toEqual([]);
    expect(surelyValid(instance)).toBe(true);
  });

  it.each(CASES)('agrees with class-validator on changed %s bodies', (_name, dto, fixture) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(paths, hostileValue), { minLength: 1, maxLength: 4 }), (changes) => {
        const body = structuredClone(fixture()) as unknown as Record<string, unknown>;
        for (const [path, value] of changes) setPath(body, path, structuredClone(value)); // a copy: never a cycle
        const instance = plainToInstance(dto as new () => object, body);
        const valid = validateSync(instance, OPTIONS).length === 0;
        const verdict = surelyValid(instance);
        if (verdict === true) expect(valid).toBe(true); // never lets an invalid body through
        if (valid) expect(verdict).not.toBe(false); // never calls a valid body invalid (unsure is fine)
      }),
      { numRuns: 1500 },
    );
  });
});
