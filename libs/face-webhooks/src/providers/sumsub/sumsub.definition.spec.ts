import { BadRequestException } from '@nestjs/common';
import { validateDto } from '../../pipeline/body/dto-validation.js';
import {
  SumsubApplicantEventDto,
  SumsubApplicantReviewedEventDto,
  SumsubWebhookEventDto,
} from './sumsub-event.dto.js';
import { sumsubEventKey, sumsubProviderDefinition } from './sumsub.definition.js';
import { SUMSUB_EVENT_TYPES } from './sumsub.event-types.js';
import { sumsubFixture } from './sumsub.fixtures.js';

const provider = sumsubProviderDefinition.create({ secret: 'k' });
const validate = (body: object) =>
  validateDto(
    provider.selectDto!(body as Record<string, unknown>),
    JSON.parse(JSON.stringify(body)) as never,
  );
const messages = (body: object): string[] => {
  try {
    validate(body);
  } catch (error) {
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('the body validated');
};
type Json = Record<string, unknown>;
const HOUR = 3600 * 1000;

describe('Sumsub bodies', () => {
  it.each(SUMSUB_EVENT_TYPES.map((type) => [type]))('validates and describes a %s fixture', (type) => {
    const body = sumsubFixture(type, new Date('2026-03-16T19:35:16.123Z'));
    const data = validate(body);
    expect(data).toBeInstanceOf(
      type === 'applicantReviewed' ? SumsubApplicantReviewedEventDto : SumsubApplicantEventDto,
    );
    expect(body.createdAtMs).toBe('2026-03-16 19:35:16.123');
    expect(provider.describe(data, Buffer.alloc(0))).toEqual({
      type,
      id: `${type}|${body.applicantId}|${body.correlationId}|2026-03-16 19:35:16.123`,
      occurredAt: new Date('2026-03-16T19:35:16.123Z'),
    });
  });

  it('validates a FINAL RED review with comments, reject labels and fields it does not know, and a GREEN one', () => {
    // Shaped like the applicantReviewed example of Sumsub's user verification webhooks page.
    const example = {
      applicantId: '5cb744200a975a67ed1798a4',
      inspectionId: '5cb744200a975a67ed1798a5',
      correlationId: 'req-fa94263f-0b23-42d7-9393-ab10b28ef42d',
      externalUserId: 'externalUserId',
      levelName: 'basic-kyc-level',
      type: 'applicantReviewed',
      reviewResult: {
        moderationComment:
          'We could not verify your profile. If you have any questions, please contact the Company.',
        clientComment: 'Suspected fraudulent account.',
        reviewAnswer: 'RED',
        rejectLabels: ['UNSATISFACTORY_PHOTOS', 'GRAPHIC_EDITOR', 'FORGERY'],
        reviewRejectType: 'FINAL',
        buttonIds: [],
      },
      reviewStatus: 'completed',
      createdAtMs: '2020-02-21 13:23:19.001',
    };
    const data = validate(example) as SumsubApplicantReviewedEventDto;
    expect(data.reviewResult.reviewAnswer).toBe('RED');
    expect(data.reviewResult.rejectLabels).toEqual(['UNSATISFACTORY_PHOTOS', 'GRAPHIC_EDITOR', 'FORGERY']);
    expect(data.reviewResult.buttonIds).toEqual([]);
    expect(provider.describe(data, Buffer.alloc(0)).occurredAt).toEqual(new Date('2020-02-21T13:23:19.001Z'));
    const green = { ...example, reviewResult: { reviewAnswer: 'GREEN' } };
    expect((validate(green) as SumsubApplicantReviewedEventDto).reviewResult.reviewAnswer).toBe('GREEN');
  });

  it('keeps unknown fields, and accepts types it does not type with the tolerant DTO', () => {
    const body = { ...sumsubFixture('applicantPending'), brandNew: { anything: [1, 2] } };
    expect((validate(body) as Json).brandNew).toEqual({ anything: [1, 2] });
    const video = sumsubFixture('videoIdentStatusChanged');
    const data = validate(video);
    expect(data).toBeInstanceOf(SumsubWebhookEventDto);
    expect(provider.describe(data, Buffer.alloc(0)).type).toBe('videoIdentStatusChanged');
    // An untyped webhook need not be about an applicant (transaction monitoring, ...).
    const { applicantId: _dropped, ...transaction } = sumsubFixture('kytTxnApproved');
    expect(validate({ ...transaction, kytTxnId: 't1' })).toBeInstanceOf(SumsubWebhookEventDto);
    expect(provider.knownTypes.has('kytTxnApproved')).toBe(false);
  });

  it.each([
    ['a missing type', (b: Json) => delete b.type, 'type must be a Sumsub webhook type'],
    ['a malformed type', (b: Json) => (b.type = 'applicant reviewed'), 'type must be a Sumsub webhook type'],
    ['a missing applicantId', (b: Json) => delete b.applicantId, 'applicantId must be a Sumsub id'],
    ['a numeric applicantId', (b: Json) => (b.applicantId = 42), 'applicantId must be a string'],
    ['a missing reviewResult', (b: Json) => delete b.reviewResult, 'reviewResult must be an object'],
    [
      'a reviewAnswer other than GREEN or RED',
      (b: Json) => ((b.reviewResult as Json).reviewAnswer = 'YELLOW'),
      'reviewResult.reviewAnswer must be one of the following values: GREEN, RED',
    ],
    [
      'a missing reviewAnswer',
      (b: Json) => delete (b.reviewResult as Json).reviewAnswer,
      'reviewResult.reviewAnswer must be one of',
    ],
    [
      'an unknown reviewRejectType',
      (b: Json) => ((b.reviewResult as Json).reviewRejectType = 'MAYBE'),
      'reviewResult.reviewRejectType must be one of the following values: FINAL, RETRY',
    ],
    [
      'rejectLabels that are not strings',
      (b: Json) => ((b.reviewResult as Json).rejectLabels = [1]),
      'reviewResult.rejectLabels must be a list of strings',
    ],
    ['a missing createdAtMs', (b: Json) => delete b.createdAtMs, 'createdAtMs must be a UTC time'],
    ['an epoch createdAtMs', (b: Json) => (b.createdAtMs = 1621008025032), 'createdAtMs must be a string'],
    [
      'a createdAtMs with a zone offset',
      (b: Json) => (b.createdAtMs = '2021-05-14T16:00:25.032+02:00'),
      'createdAtMs must be a UTC time like 2021-05-14 16:00:25.032',
    ],
    [
      'a createdAtMs that does not exist',
      (b: Json) => (b.createdAtMs = '2026-02-30 10:00:00.000'),
      'createdAtMs must be a UTC time',
    ],
    ['a numeric externalUserId', (b: Json) => (b.externalUserId = 7), 'externalUserId must be a string'],
    ['a string sandboxMode', (b: Json) => (b.sandboxMode = 'false'), 'sandboxMode must be a boolean'],
  ])('refuses an applicantReviewed with %s, naming the field', (_name, change, message) => {
    const body = sumsubFixture('applicantReviewed') as Json;
    change(body);
    expect(messages(body).join('\n')).toContain(message);
  });

  it('requires applicantId on every typed type, and createdAtMs on every type', () => {
    for (const type of SUMSUB_EVENT_TYPES) {
      const body = sumsubFixture(type) as Json;
      delete body.applicantId;
      expect(messages(body).join()).toContain('applicantId must be a Sumsub id');
    }
    const untyped = sumsubFixture('applicantSomethingNew') as Json;
    delete untyped.createdAtMs;
    expect(messages(untyped).join()).toContain('createdAtMs');
  });

  it('gives distinct webhooks distinct keys, and a resent body the same one', () => {
    const body = sumsubFixture('applicantReviewed', new Date('2026-03-16T19:35:16.123Z'));
    const key = sumsubEventKey(validate(body));
    expect(sumsubEventKey(validate(JSON.parse(JSON.stringify(body)) as object))).toBe(key);
    // The same request (correlationId) behind two webhooks of different types, or at different times.
    expect(sumsubEventKey(validate({ ...body, type: 'applicantWorkflowCompleted' }))).not.toBe(key);
    expect(sumsubEventKey(validate({ ...body, createdAtMs: '2026-03-16 19:35:16.124' }))).not.toBe(key);
    expect(sumsubEventKey(validate({ ...body, applicantId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }))).not.toBe(key);
    const { correlationId: _none, ...without } = body;
    expect(sumsubEventKey(validate(without))).toBe(
      `applicantReviewed|${body.applicantId}|-|2026-03-16 19:35:16.123`,
    );
  });

  it('gives fixtures fresh ids, the user reference, and a GREEN review', () => {
    const [a, b] = [sumsubFixture('applicantReviewed'), sumsubFixture('applicantReviewed')];
    expect(a.applicantId).toMatch(/^[0-9a-f]{24}$/);
    expect(a.applicantId).not.toBe(b.applicantId);
    expect(a.correlationId).not.toBe(b.correlationId);
    expect(a).toMatchObject({
      externalUserId: 'user_4242',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'GREEN' },
    });
    expect(sumsubFixture('applicantPending')).not.toHaveProperty('reviewResult');
  });
});

describe('Sumsub event age', () => {
  const at = (msAgo: number) => sumsubFixture('applicantReviewed', new Date(Date.now() - msAgo));
  const authorize = (body: object, options: object = {}) => {
    const sumsub = sumsubProviderDefinition.create({ secret: 'k', ...options });
    return sumsub.authorize!(validate(body), { ok: true });
  };

  it('accepts a webhook younger than maxEventAgeSeconds (48 h by default), fresh until then', () => {
    const body = at(47 * HOUR);
    const createdAt = new Date(`${body.createdAtMs.replace(' ', 'T')}Z`).getTime();
    expect(authorize(body)).toEqual({ ok: true, freshUntilMs: createdAt + 48 * HOUR });
    // Sumsub's last retry, about 24 h after the first attempt.
    expect(authorize(at(24 * HOUR + 5 * 60 * 1000)).ok).toBe(true);
  });

  it('refuses a webhook older than maxEventAgeSeconds', () => {
    expect(authorize(at(48 * HOUR + 1000))).toMatchObject({ ok: false, code: 'event_too_old' });
    expect(authorize(at(2 * HOUR), { maxEventAgeSeconds: 3600 })).toMatchObject({
      ok: false,
      code: 'event_too_old',
    });
    expect(authorize(at(30 * 60 * 1000), { maxEventAgeSeconds: 3600 }).ok).toBe(true);
  });

  it('refuses a webhook more than 5 minutes ahead of now, and accepts clock skew under that', () => {
    expect(authorize(at(-6 * 60 * 1000))).toMatchObject({ ok: false, code: 'event_too_old' });
    expect(authorize(at(-4 * 60 * 1000)).ok).toBe(true);
  });

  it('uses a 4-day de-duplication window by default', () => {
    expect(provider.deduplicationTtlMs).toBe(4 * 24 * HOUR);
    expect(
      sumsubProviderDefinition.create({ secret: 'k', deduplicationTtlMs: 5 * 24 * HOUR }).deduplicationTtlMs,
    ).toBe(5 * 24 * HOUR);
  });
});

describe('Sumsub options', () => {
  const check = (options: object, required = true) =>
    sumsubProviderDefinition.validateOptions(options as never, required);

  it('needs a secret, unless tenants carry them', () => {
    expect(check({})).toEqual([expect.stringContaining('sumsub.secret is required')]);
    expect(check({}, false)).toEqual([]);
    expect(check({ secret: ['a', ' '] })).toHaveLength(1);
    expect(check({ secret: ['a', 'b'] })).toEqual([]);
  });

  it('checks allowSha1 and maxEventAgeSeconds', () => {
    expect(check({ secret: 'a', allowSha1: 'yes' })).toEqual(['sumsub.allowSha1 must be true or false']);
    expect(check({ secret: 'a', maxEventAgeSeconds: 0 })).toEqual([
      'sumsub.maxEventAgeSeconds must be a positive whole number of seconds',
    ]);
    expect(check({ secret: 'a', maxEventAgeSeconds: 1.5 })).toHaveLength(1);
  });

  it('refuses a maximum age the de-duplication window does not cover', () => {
    // Default 48 h inside the default 4 days.
    expect(check({ secret: 'a' })).toEqual([]);
    expect(check({ secret: 'a', maxEventAgeSeconds: 4 * 24 * 3600 })).toEqual([
      expect.stringContaining(
        'sumsub.maxEventAgeSeconds (345600) must be at least 300 s shorter than sumsub.deduplicationTtlMs',
      ),
    ]);
    expect(check({ secret: 'a', deduplicationTtlMs: 24 * HOUR })).toEqual([
      expect.stringContaining('sumsub.deduplicationTtlMs (86400 s)'),
    ]);
    expect(check({ secret: 'a', deduplicationTtlMs: 24 * HOUR, maxEventAgeSeconds: 23 * 3600 })).toEqual([]);
    expect(check({ secret: 'a', deduplicationTtlMs: 2 * HOUR, maxEventAgeSeconds: 2 * 3600 - 300 })).toEqual(
      [],
    );
    expect(
      check({ secret: 'a', deduplicationTtlMs: 2 * HOUR, maxEventAgeSeconds: 2 * 3600 - 299 }),
    ).toHaveLength(1);
  });
});
