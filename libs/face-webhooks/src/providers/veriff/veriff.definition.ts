import { checkEventAge } from '../../contracts/event-age.js';
import { SecretSet } from '../../contracts/constant-time.js';
import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { asList, checkSecrets } from '../../contracts/provider-options.checks.js';
import { VeriffDecisionWebhookDto, VeriffEventWebhookDto } from './veriff-event.dto.js';
import { verifyVeriffRequest, type VeriffVerification } from './veriff-signature.js';
import { VERIFF_EVENT_TYPES } from './veriff.event-types.js';
import { veriffFixture } from './veriff.fixtures.js';
import {
  VERIFF_CLOCK_TOLERANCE_SECONDS,
  VERIFF_DEFAULT_DEDUPLICATION_TTL_MS,
  VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS,
  type VeriffWebhookOptions,
} from './veriff.options.js';
import { signVeriffRequest } from './veriff.signer.js';

/** Any validated Veriff body: a decision webhook or an event webhook. */
export type VeriffEventBody = VeriffDecisionWebhookDto | VeriffEventWebhookDto;

const isDecision = (body: VeriffEventBody): body is VeriffDecisionWebhookDto =>
  body instanceof VeriffDecisionWebhookDto;

class VeriffWebhookProvider implements FaceWebhookProvider<VeriffEventBody> {
  readonly name = 'veriff';
  readonly dto = VeriffDecisionWebhookDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(VERIFF_EVENT_TYPES);
  readonly deduplicationTtlMs: number;
  private readonly verification: VeriffVerification;
  private readonly maxEventAgeMs: number;

  constructor(options: VeriffWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? VERIFF_DEFAULT_DEDUPLICATION_TTL_MS;
    const apiKeys = asList(options.apiKey);
    this.verification = {
      secrets: asList(options.secret),
      ...(apiKeys.length > 0 ? { apiKeys: new SecretSet(apiKeys) } : {}),
    };
    this.maxEventAgeMs = (options.maxEventAgeSeconds ?? VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
  }

  /** A body with `verification` is a decision webhook; any other is held to the event webhook's shape. */
  selectDto(body: Record<string, unknown>): new () => VeriffEventBody {
    return Object.hasOwn(body, 'verification') || Object.hasOwn(body, 'status')
      ? VeriffDecisionWebhookDto
      : VeriffEventWebhookDto;
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return verifyVeriffRequest(request.headers, request.rawBody, this.verification);
  }

  /**
   * Veriff signs no time. A decision's `decisionTime` bounds how long it is accepted, so a capture
   * replayed after its de-duplication record is gone is refused; an event webhook, or a decision
   * without `decisionTime`, has no time to check and relies on de-duplication alone.
   */
  authorize(data: VeriffEventBody, authenticated: WebhookAuthSuccess): WebhookAuthResult {
    if (!isDecision(data) || typeof data.verification.decisionTime !== 'string') return authenticated;
    const decidedAt = new Date(data.verification.decisionTime).getTime();
    const fresh = checkEventAge(
      'verification.decisionTime',
      decidedAt,
      this.maxEventAgeMs,
      VERIFF_CLOCK_TOLERANCE_SECONDS,
    );
    return fresh.ok ? { ...authenticated, ...fresh } : fresh;
  }

  /**
   * A decision is `decision.<status>`, keyed by session, status, code, attempt and decision time (a
   * session gets several decisions: resubmission requested, then approved); an event is
   * `event.<action>`, keyed by session, attempt, action and code.
   */
  describe(body: VeriffEventBody): WebhookEventDescription {
    if (isDecision(body)) {
      const v = body.verification;
      const decisionTime = typeof v.decisionTime === 'string' ? v.decisionTime : undefined;
      return {
        type: `decision.${v.status}`,
        id: `decision:${v.id}:${v.status}:${v.code}:${v.attemptId ?? '-'}:${decisionTime ?? '-'}`,
        ...(decisionTime ? { occurredAt: new Date(decisionTime) } : {}),
      };
    }
    return {
      type: `event.${body.action}`,
      id: `event:${body.id}:${body.attemptId}:${body.action}:${body.code}`,
    };
  }
}

/** Veriff: `X-HMAC-SIGNATURE` (hex HMAC-SHA256 of the body), decision and event webhooks. */
export const veriffProviderDefinition = defineFaceWebhookProvider({
  name: 'veriff',
  title: 'Veriff',
  openApi: {
    headers: [
      {
        name: 'X-HMAC-SIGNATURE',
        description:
          'Veriff: hex HMAC-SHA256 of the body with the shared secret key (or `VRF-HMAC-SIGNATURE`)',
      },
      {
        name: 'X-AUTH-CLIENT',
        description:
          "Veriff: the integration's API key (checked when `veriff.apiKey` is set; or `VRF-AUTH-CLIENT`)",
      },
    ],
    bodySchema: {
      title: 'Veriff decision or event webhook',
      oneOf: [
        {
          title: 'Decision webhook',
          type: 'object',
          required: ['status', 'verification'],
          properties: {
            status: { type: 'string', enum: ['success'] },
            verification: {
              type: 'object',
              required: ['id', 'code', 'status'],
              properties: {
                id: { type: 'string', format: 'uuid' },
                attemptId: { type: 'string', format: 'uuid' },
                code: { type: 'integer', example: 9001 },
                status: { type: 'string', example: 'approved' },
                vendorData: { type: 'string', nullable: true },
                decisionTime: { type: 'string', format: 'date-time', nullable: true },
              },
            },
          },
        },
        {
          title: 'Event webhook',
          type: 'object',
          required: ['id', 'attemptId', 'feature', 'code', 'action'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            attemptId: { type: 'string', format: 'uuid' },
            feature: { type: 'string', example: 'selfid' },
            code: { type: 'integer', example: 7002 },
            action: { type: 'string', example: 'submitted' },
            vendorData: { type: 'string', nullable: true },
          },
        },
      ],
    },
  },
  tenantSettings: ['secret', 'apiKey', 'maxEventAgeSeconds'],
  tenantOnlySettings: ['secret', 'apiKey'],
  hasCredentials: (options) => asList(options.secret).length > 0,
  validateOptions(options: VeriffWebhookOptions, credentialsRequired: boolean) {
    const problems = checkSecrets(
      'veriff.secret',
      asList(options.secret),
      "the integration's shared secret key from the Veriff Customer Portal",
      credentialsRequired,
    );
    if (options.apiKey !== undefined) {
      const keys = asList(options.apiKey);
      if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key.trim() === ''))
        problems.push("veriff.apiKey must be the integration's API key (or a list), not empty");
    }
    const maxAge = options.maxEventAgeSeconds;
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge > 0)) {
      problems.push('veriff.maxEventAgeSeconds must be a positive whole number of seconds');
    } else {
      const ttl = options.deduplicationTtlMs ?? VERIFF_DEFAULT_DEDUPLICATION_TTL_MS;
      const age = maxAge ?? VERIFF_DEFAULT_MAX_EVENT_AGE_SECONDS;
      if (Number.isInteger(ttl) && ttl > 0 && age * 1000 > ttl) {
        problems.push(
          `veriff.maxEventAgeSeconds (${age}) must not exceed veriff.deduplicationTtlMs (${ttl} ms): ` +
            'a delivery old enough to be forgotten must be refused',
        );
      }
    }
    return problems;
  },
  create: (options) => new VeriffWebhookProvider(options),
  testing: {
    testSecret: 'test-veriff-shared-secret',
    secretEnv: 'VERIFF_WEBHOOK_SECRET',
    types: VERIFF_EVENT_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...veriffFixture(type) }),
    sign: (secret, _url, body) => signVeriffRequest({ secret, body }),
  },
});
