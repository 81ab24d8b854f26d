import { checkEventAge } from '../../contracts/event-age.js';
import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { asList, checkSecrets } from '../../contracts/provider-options.checks.js';
import {
  SumsubApplicantEventDto,
  SumsubApplicantReviewedEventDto,
  SumsubWebhookEventDto,
} from './sumsub-event.dto.js';
import { verifySumsubRequest, type SumsubVerification } from './sumsub-signature.js';
import { readSumsubTime } from './sumsub-time.js';
import { SUMSUB_EVENT_TYPES } from './sumsub.event-types.js';
import { sumsubFixture } from './sumsub.fixtures.js';
import {
  SUMSUB_DEFAULT_DEDUPLICATION_TTL_MS,
  SUMSUB_DEFAULT_MAX_EVENT_AGE_SECONDS,
  SUMSUB_FUTURE_TOLERANCE_SECONDS,
  type SumsubWebhookOptions,
} from './sumsub.options.js';
import { signSumsubRequest } from './sumsub.signer.js';

/** Any validated Sumsub body: a typed applicant webhook, `applicantReviewed`, or any other type. */
export type SumsubEventBody =
  SumsubWebhookEventDto | SumsubApplicantEventDto | SumsubApplicantReviewedEventDto;

const TYPED: ReadonlySet<string> = new Set(SUMSUB_EVENT_TYPES);

/**
 * The de-duplication key of a Sumsub webhook. Sumsub sends no event id: `correlationId` names the
 * request behind the webhook (one request can cause several webhooks), so the key is the webhook's
 * type, applicant, correlation id and creation time together. A retry resends the same body, so
 * it has the same key; two different webhooks differ in at least one of them.
 */
export function sumsubEventKey(data: SumsubEventBody): string {
  return [data.type, data.applicantId ?? '-', data.correlationId ?? '-', data.createdAtMs].join('|');
}

class SumsubWebhookProvider implements FaceWebhookProvider<SumsubEventBody> {
  readonly name = 'sumsub';
  readonly dto = SumsubWebhookEventDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(SUMSUB_EVENT_TYPES);
  readonly deduplicationTtlMs: number;
  private readonly verification: SumsubVerification;
  private readonly maxEventAgeMs: number;

  constructor(options: SumsubWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? SUMSUB_DEFAULT_DEDUPLICATION_TTL_MS;
    this.verification = { secrets: asList(options.secret), allowSha1: options.allowSha1 === true };
    this.maxEventAgeMs = (options.maxEventAgeSeconds ?? SUMSUB_DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
  }

  /** Typed applicant webhooks get their strict DTO; any other type the tolerant one. */
  selectDto(body: Record<string, unknown>): new () => SumsubEventBody {
    if (body.type === 'applicantReviewed') return SumsubApplicantReviewedEventDto;
    if (typeof body.type === 'string' && TYPED.has(body.type)) return SumsubApplicantEventDto;
    return SumsubWebhookEventDto;
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return verifySumsubRequest(request.headers, request.rawBody, this.verification);
  }

  /**
   * Sumsub signs no time, but `createdAtMs` is in the signed body: a webhook older than
   * `maxEventAgeSeconds` (or more than 5 minutes ahead of now) is refused, and one accepted stays
   * accepted until `createdAtMs + maxEventAgeSeconds`, which is how long its de-duplication record
   * is kept at least. A captured delivery sent again is a duplicate until then, and stale after.
   */
  authorize(data: SumsubEventBody, _authenticated: WebhookAuthSuccess): WebhookAuthResult {
    const createdAt = readSumsubTime(data.createdAtMs)!.getTime();
    return checkEventAge('createdAtMs', createdAt, this.maxEventAgeMs, SUMSUB_FUTURE_TOLERANCE_SECONDS);
  }

  describe(data: SumsubEventBody): WebhookEventDescription {
    return { type: data.type, id: sumsubEventKey(data), occurredAt: readSumsubTime(data.createdAtMs)! };
  }
}

/** Sumsub: `X-Payload-Digest`, a hex HMAC of the raw body (`X-Payload-Digest-Alg`), flat JSON bodies. */
export const sumsubProviderDefinition = defineFaceWebhookProvider({
  name: 'sumsub',
  title: 'Sumsub',
  openApi: {
    headers: [
      {
        name: 'X-Payload-Digest',
        description: 'Sumsub: hex HMAC of the raw body, keyed with the webhook secret key',
      },
      {
        name: 'X-Payload-Digest-Alg',
        description:
          'Sumsub: `HMAC_SHA256_HEX` (default when absent) or `HMAC_SHA512_HEX`; `HMAC_SHA1_HEX` only with `allowSha1`',
      },
    ],
    bodySchema: {
      title: 'Sumsub webhook',
      type: 'object',
      required: ['type', 'createdAtMs'],
      properties: {
        type: { type: 'string', example: 'applicantReviewed' },
        applicantId: { type: 'string', example: '5cb56e8e0a975a35f333cb83' },
        inspectionId: { type: 'string' },
        correlationId: { type: 'string', example: 'req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4' },
        externalUserId: { type: 'string', description: 'your own id of the user' },
        levelName: { type: 'string' },
        reviewStatus: { type: 'string', example: 'completed' },
        createdAtMs: {
          type: 'string',
          example: '2021-05-14 16:00:25.032',
          description: 'UTC, yyyy-MM-dd HH:mm:ss.fff',
        },
        sandboxMode: { type: 'boolean' },
        reviewResult: {
          type: 'object',
          properties: {
            reviewAnswer: { type: 'string', enum: ['GREEN', 'RED'] },
            rejectLabels: { type: 'array', items: { type: 'string' } },
            reviewRejectType: { type: 'string', enum: ['FINAL', 'RETRY'] },
          },
        },
      },
    },
  },
  tenantSettings: ['secret', 'allowSha1', 'maxEventAgeSeconds'],
  tenantOnlySettings: ['secret'],
  hasCredentials: (options) => asList(options.secret).length > 0,
  validateOptions(options: SumsubWebhookOptions, credentialsRequired: boolean) {
    const problems = checkSecrets(
      'sumsub.secret',
      asList(options.secret),
      "the webhook's secret key from the Sumsub dashboard (Dev space, Webhooks)",
      credentialsRequired,
    );
    if (options.allowSha1 !== undefined && typeof options.allowSha1 !== 'boolean')
      problems.push('sumsub.allowSha1 must be true or false');
    const maxAge = options.maxEventAgeSeconds;
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge > 0)) {
      problems.push('sumsub.maxEventAgeSeconds must be a positive whole number of seconds');
    } else {
      const ageMs = (maxAge ?? SUMSUB_DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
      const ttlMs = options.deduplicationTtlMs ?? SUMSUB_DEFAULT_DEDUPLICATION_TTL_MS;
      // A delivery old enough to be forgotten must be refused: the record outlives the accepted age.
      if (Number.isInteger(ttlMs) && ttlMs > 0 && ageMs + SUMSUB_FUTURE_TOLERANCE_SECONDS * 1000 > ttlMs)
        problems.push(
          `sumsub.maxEventAgeSeconds (${ageMs / 1000}) must be at least ${SUMSUB_FUTURE_TOLERANCE_SECONDS} s shorter than sumsub.deduplicationTtlMs (${ttlMs / 1000} s), so that a delivery old enough to be forgotten is refused`,
        );
    }
    return problems;
  },
  create: (options) => new SumsubWebhookProvider(options),
  testing: {
    testSecret: 'test-sumsub-secret-key',
    secretEnv: 'SUMSUB_WEBHOOK_SECRET',
    types: SUMSUB_EVENT_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...sumsubFixture(type) }),
    sign: (secret, _url, body) => signSumsubRequest({ secret, body }),
  },
});
