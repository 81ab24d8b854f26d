import { BadRequestException } from '@nestjs/common';
import { validateDto } from '../../pipeline/body/dto-validation.js';
import { VeriffDecisionWebhookDto, VeriffEventWebhookDto } from './veriff-event.dto.js';
import { veriffProviderDefinition } from './veriff.definition.js';
import { VERIFF_EVENT_TYPES } from './veriff.event-types.js';
import { veriffFixture, type VeriffDecisionFixture, type VeriffEventFixture } from './veriff.fixtures.js';
import {
  VERIFF_DEFAULT_DEDUPLICATION_TTL_MS,
  VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS,
} from './veriff.options.js';

const provider = veriffProviderDefinition.create({ secret: 'shared' });
const validate = (body: object) =>
  validateDto(
    provider.selectDto!(body as Record<string, unknown>),
    JSON.parse(JSON.stringify(body)) as Record<string, unknown>,
  );
const messages = (body: object): string[] => {
  try {
    validate(body);
  } catch (error) {
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('the body validated');
};
const decision = (status: string, now?: Date) =>
  veriffFixture(`decision.${status}`, now) as VeriffDecisionFixture;
const event = (action: string) => veriffFixture(`event.${action}`) as VeriffEventFixture;

describe('Veriff bodies', () => {
  it.each(VERIFF_EVENT_TYPES.map((type) => [type]))('validates and describes a %s fixture', (type) => {
    const body = veriffFixture(type, new Date('2026-03-16T19:35:16.123Z'));
    const data = validate(body);
    if ('verification' in body) {
      expect(data).toBeInstanceOf(VeriffDecisionWebhookDto);
      const v = body.verification;
      expect(provider.describe(data, Buffer.alloc(0))).toEqual({
        type,
        id: `decision:${v.id}:${v.status}:${v.code}:${v.attemptId}:2026-03-16T19:35:16.123Z`,
        occurredAt: new Date('2026-03-16T19:35:16.123Z'),
      });
    } else {
      expect(data).toBeInstanceOf(VeriffEventWebhookDto);
      expect(provider.describe(data, Buffer.alloc(0))).toEqual({
        type,
        id: `event:${body.id}:${body.attemptId}:${body.action}:${body.code}`,
      });
    }
  });

  it("validates the sample of Veriff's event webhook page", () => {
    const sample = {
      id: 'f04bdb47-d3be-4b28-b028-a652feb060b5',
      attemptId: 'e30122d1-740b-4764-853f-470374a7abf4',
      feature: 'selfid',
      code: 7002,
      action: 'submitted',
      vendorData: '12345678',
      endUserId: 'a1b2c35d-e8f7-6d5e-3cd2-a1b2c35db3d4',
    };
    expect(provider.describe(validate(sample), Buffer.alloc(0)).type).toBe('event.submitted');
  });

  it('keeps fields it does not know, and accepts nulls where Veriff sends them', () => {
    const body = decision('expired');
    body.verification.decisionTime = null;
    body.verification.vendorData = null;
    (body.verification as Record<string, unknown>).newField = { x: 1 };
    const data = validate(body) as VeriffDecisionWebhookDto;
    expect(data.verification.newField).toEqual({ x: 1 });
    expect(provider.describe(data, Buffer.alloc(0))).toEqual({
      type: 'decision.expired',
      id: `decision:${body.verification.id}:expired:9104:${body.verification.attemptId}:-`,
    });
  });

  it('names an unknown status or action as sent, for wildcard handlers', () => {
    expect(provider.describe(validate(decision('escalated')), Buffer.alloc(0)).type).toBe(
      'decision.escalated',
    );
    expect(provider.knownTypes.has('decision.escalated')).toBe(false);
    expect(provider.describe(validate(event('paused')), Buffer.alloc(0)).type).toBe('event.paused');
  });

  it.each([
    [
      'a session id that is no UUID',
      (b: VeriffDecisionFixture) => (b.verification.id = 'sess_1'),
      'verification.id',
    ],
    [
      'a string code',
      (b: VeriffDecisionFixture) => ((b.verification as Record<string, unknown>).code = '9001'),
      'verification.code',
    ],
    [
      'a code against its status',
      (b: VeriffDecisionFixture) => (b.verification.code = 9102),
      'verification.code',
    ],
    [
      'a status in capitals',
      (b: VeriffDecisionFixture) => (b.verification.status = 'APPROVED'),
      'verification.status',
    ],
    [
      'a numeric vendorData',
      (b: VeriffDecisionFixture) => ((b.verification as Record<string, unknown>).vendorData = 7),
      'verification.vendorData',
    ],
    [
      'an unreadable decisionTime',
      (b: VeriffDecisionFixture) => (b.verification.decisionTime = '2026-02-30T00:00:00Z'),
      'verification.decisionTime',
    ],
    [
      'a top-level status other than success',
      (b: VeriffDecisionFixture) => ((b as unknown as Record<string, unknown>).status = 'fail'),
      'status',
    ],
  ])('refuses a decision with %s', (_name, spoil, field) => {
    const body = decision('approved');
    spoil(body);
    expect(messages(body).join('\n')).toContain(field);
  });

  it('refuses an event without attemptId, or whose code contradicts its action', () => {
    const noAttempt = event('started') as Partial<VeriffEventFixture>;
    delete noAttempt.attemptId;
    expect(messages(noAttempt).join('\n')).toContain('attemptId');
    const wrong = event('started');
    wrong.code = 7002;
    expect(messages(wrong).join('\n')).toContain('code');
    expect(messages({ hello: 'world' }).join('\n')).toContain('id');
  });
});

describe('Veriff decision age', () => {
  const ok = { ok: true } as const;
  const authorize = (body: object, p = provider) => p.authorize!(validate(body), ok);

  it('accepts a fresh decision, fresh until decisionTime + maxEventAgeSeconds', () => {
    const body = decision('approved');
    const decided = new Date(body.verification.decisionTime!).getTime();
    expect(authorize(body)).toEqual({
      ok: true,
      freshUntilMs: decided + VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS * 1000,
    });
  });

  it('accepts a decision 7 days old (Veriff is still retrying), refuses one past the maximum age', () => {
    const sevenDays = decision('approved', new Date(Date.now() - 7 * 86_400_000));
    expect(authorize(sevenDays).ok).toBe(true);
    const old = decision(
      'approved',
      new Date(Date.now() - (VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS + 60) * 1000),
    );
    expect(authorize(old)).toMatchObject({ ok: false, code: 'event_too_old' });
    const short = veriffProviderDefinition.create({ secret: 's', maxEventAgeSeconds: 60 });
    expect(authorize(decision('declined', new Date(Date.now() - 120_000)), short)).toMatchObject({
      ok: false,
    });
  });

  it('refuses a decision from more than 5 minutes in the future', () => {
    expect(authorize(decision('approved', new Date(Date.now() + 600_000)))).toMatchObject({
      ok: false,
      code: 'event_too_old',
    });
    expect(authorize(decision('approved', new Date(Date.now() + 60_000))).ok).toBe(true);
  });

  it('leaves an event webhook, and a decision without decisionTime, to de-duplication', () => {
    expect(authorize(event('started'))).toEqual(ok);
    const timeless = decision('abandoned');
    timeless.verification.decisionTime = null;
    expect(authorize(timeless)).toEqual(ok);
  });
});

describe('Veriff options', () => {
  const check = (options: object, credentialsRequired = true) =>
    veriffProviderDefinition.validateOptions(options as never, credentialsRequired);

  it('needs a secret, and keeps the default age within the default de-duplication window', () => {
    expect(check({})).toEqual([expect.stringContaining('veriff.secret is required')]);
    expect(check({ secret: 's' })).toEqual([]);
    expect(check({ tenants: {} }, false)).toEqual([]);
    expect(VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS * 1000).toBeLessThanOrEqual(
      VERIFF_DEFAULT_DEDUPLICATION_TTL_MS,
    );
    expect(VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS).toBeGreaterThan(7 * 86_400);
    expect(provider.deduplicationTtlMs).toBe(VERIFF_DEFAULT_DEDUPLICATION_TTL_MS);
  });

  it('refuses a bad maximum age, one longer than the de-duplication window, and an empty API key', () => {
    expect(check({ secret: 's', maxEventAgeSeconds: 0 })).toEqual([
      expect.stringContaining('veriff.maxEventAgeSeconds must be a positive whole number'),
    ]);
    expect(check({ secret: 's', deduplicationTtlMs: 86_400_000 })).toEqual([
      expect.stringContaining('must not exceed veriff.deduplicationTtlMs'),
    ]);
    expect(check({ secret: 's', deduplicationTtlMs: 86_400_000, maxEventAgeSeconds: 3600 })).toEqual([]);
    expect(check({ secret: 's', apiKey: '' })).toEqual([expect.stringContaining('veriff.apiKey')]);
    expect(check({ secret: 's', apiKey: [] })).toEqual([expect.stringContaining('veriff.apiKey')]);
  });
});
