import { checkEventAge } from '../../contracts/event-age.js';
import { createHash } from 'node:crypto';
import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { readTime } from '../../contracts/is-readable-time.decorator.js';
import { asList, checkSecrets } from '../../contracts/provider-options.checks.js';
import {
  OnfidoCheckEventDto,
  OnfidoReportEventDto,
  OnfidoWebhookEventDto,
  OnfidoWorkflowRunEventDto,
  OnfidoWorkflowTaskEventDto,
  type OnfidoObjectDto,
} from './onfido-event.dto.js';
import { verifyOnfidoRequest } from './onfido-signature.js';
import {
  ONFIDO_CHECK_EVENT_TYPES,
  ONFIDO_EVENT_TYPES,
  ONFIDO_REPORT_EVENT_TYPES,
  ONFIDO_WORKFLOW_RUN_EVENT_TYPES,
  ONFIDO_WORKFLOW_TASK_EVENT_TYPES,
} from './onfido.event-types.js';
import { onfidoFixture } from './onfido.fixtures.js';
import {
  ONFIDO_DEFAULT_DEDUPLICATION_TTL_MS,
  ONFIDO_DEFAULT_MAX_EVENT_AGE_SECONDS,
  ONFIDO_FUTURE_TOLERANCE_SECONDS,
  type OnfidoWebhookOptions,
} from './onfido.options.js';
import { signOnfidoRequest } from './onfido.signer.js';

/** Any validated Onfido body: a typed check, report, workflow run or task event, or the generic envelope. */
export type OnfidoEventBody =
  | OnfidoWebhookEventDto
  | OnfidoCheckEventDto
  | OnfidoReportEventDto
  | OnfidoWorkflowRunEventDto
  | OnfidoWorkflowTaskEventDto;

const DTO_OF_TYPE: ReadonlyMap<string, new () => OnfidoEventBody> = new Map<
  string,
  new () => OnfidoEventBody
>([
  ...ONFIDO_CHECK_EVENT_TYPES.map((type) => [type, OnfidoCheckEventDto] as const),
  ...ONFIDO_REPORT_EVENT_TYPES.map((type) => [type, OnfidoReportEventDto] as const),
  ...ONFIDO_WORKFLOW_RUN_EVENT_TYPES.map((type) => [type, OnfidoWorkflowRunEventDto] as const),
  ...ONFIDO_WORKFLOW_TASK_EVENT_TYPES.map((type) => [type, OnfidoWorkflowTaskEventDto] as const),
]);

/** `body.payload.action` of a parsed, not yet validated body, if it is a string. */
function actionOf(body: Record<string, unknown>): string | undefined {
  const payload = body.payload;
  if (typeof payload !== 'object' || payload === null) return undefined;
  const action = (payload as Record<string, unknown>).action;
  return typeof action === 'string' ? action : undefined;
}

/** The time Onfido gives the event: when its object completed, else when it started, as sent. */
export function onfidoEventTimeText(object: OnfidoObjectDto | undefined): string | undefined {
  return object?.completed_at_iso8601 ?? object?.started_at_iso8601 ?? undefined;
}

/**
 * The de-duplication key of an Onfido event. Onfido gives its events no id, and every retry (and a
 * resend through `POST /webhooks/resend`) repeats the body byte for byte; so the key is what tells
 * one event from another: the event name, the object's id, its time and its status,
 * `check.completed:<check id>:<completed_at_iso8601>:complete`. A check reopened and completed
 * again is a new event (a new completion time). A body without `object` is keyed by its SHA-256.
 */
export function onfidoEventId(body: OnfidoEventBody, rawBody: Buffer): string {
  const { action, object } = body.payload;
  if (object === undefined) return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
  return [action, object.id, onfidoEventTimeText(object) ?? '-', object.status ?? '-'].join(':');
}

class OnfidoWebhookProvider implements FaceWebhookProvider<OnfidoEventBody> {
  readonly name = 'onfido';
  readonly dto = OnfidoWebhookEventDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(ONFIDO_EVENT_TYPES);
  readonly deduplicationTtlMs: number;
  private readonly tokens: readonly string[];
  private readonly maxEventAgeMs: number;
  private readonly refuseUntimedEvents: boolean;

  constructor(options: OnfidoWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? ONFIDO_DEFAULT_DEDUPLICATION_TTL_MS;
    this.tokens = asList(options.secret);
    this.maxEventAgeMs = (options.maxEventAgeSeconds ?? ONFIDO_DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
    this.refuseUntimedEvents = options.refuseUntimedEvents === true;
  }

  /** The typed events get their strict DTO; any other name the generic envelope. */
  selectDto(body: Record<string, unknown>): new () => OnfidoEventBody {
    const action = actionOf(body);
    return (action !== undefined ? DTO_OF_TYPE.get(action) : undefined) ?? OnfidoWebhookEventDto;
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return verifyOnfidoRequest(request.headers, request.rawBody, this.tokens);
  }

  /**
   * Onfido signs no time: the event's own time (signed with the body) bounds how long the delivery
   * is accepted, and the de-duplication record is kept until then, so a captured delivery sent again
   * is either a duplicate or refused as too old.
   */
  authorize(data: OnfidoEventBody, authenticated: WebhookAuthSuccess): WebhookAuthResult {
    const text = onfidoEventTimeText(data.payload.object);
    if (text === undefined) {
      return this.refuseUntimedEvents
        ? {
            ok: false,
            reason:
              'the event has no completed_at_iso8601 or started_at_iso8601, and refuseUntimedEvents is on',
            code: 'event_too_old',
          }
        : authenticated;
    }
    const eventTime = readTime(text)!.getTime();
    return checkEventAge(
      `the event's time ${text}`,
      eventTime,
      this.maxEventAgeMs,
      ONFIDO_FUTURE_TOLERANCE_SECONDS,
    );
  }

  describe(data: OnfidoEventBody, rawBody: Buffer): WebhookEventDescription {
    const text = onfidoEventTimeText(data.payload.object);
    const occurredAt = text === undefined ? undefined : readTime(text);
    return {
      type: data.payload.action,
      id: onfidoEventId(data, rawBody),
      ...(occurredAt ? { occurredAt } : {}),
    };
  }
}

/** Onfido (Entrust Identity Verification): `X-SHA2-Signature`, the hex HMAC-SHA256 of the raw body. */
export const onfidoProviderDefinition = defineFaceWebhookProvider({
  name: 'onfido',
  title: 'Onfido (Entrust Identity Verification)',
  openApi: {
    headers: [
      {
        name: 'X-SHA2-Signature',
        description: "Onfido: hex HMAC-SHA256 of the raw body, keyed with the webhook's token",
      },
    ],
    bodySchema: {
      title: 'Onfido webhook event',
      type: 'object',
      required: ['payload'],
      properties: {
        payload: {
          type: 'object',
          required: ['resource_type', 'action'],
          properties: {
            resource_type: { type: 'string', example: 'check' },
            action: { type: 'string', example: 'check.completed' },
            object: {
              type: 'object',
              required: ['id'],
              properties: {
                id: { type: 'string' },
                status: { type: 'string', example: 'complete' },
                started_at_iso8601: { type: 'string', format: 'date-time' },
                completed_at_iso8601: { type: 'string', format: 'date-time' },
                href: { type: 'string', format: 'uri' },
              },
            },
            resource: {
              type: 'object',
              description: 'Studio events: the workflow run or task in full',
            },
          },
        },
      },
    },
  },
  tenantSettings: ['secret', 'maxEventAgeSeconds', 'refuseUntimedEvents'],
  tenantOnlySettings: ['secret'],
  hasCredentials: (options) => asList(options.secret).length > 0,
  validateOptions(options: OnfidoWebhookOptions, credentialsRequired: boolean) {
    const problems = checkSecrets(
      'onfido.secret',
      asList(options.secret),
      "the webhook's token, shown when the webhook is created (Onfido Dashboard or POST /webhooks)",
      credentialsRequired,
    );
    const maxAge = options.maxEventAgeSeconds;
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge > 0)) {
      problems.push('onfido.maxEventAgeSeconds must be a positive whole number of seconds');
    } else {
      const ageMs = (maxAge ?? ONFIDO_DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
      const ttlMs = options.deduplicationTtlMs ?? ONFIDO_DEFAULT_DEDUPLICATION_TTL_MS;
      if (Number.isInteger(ttlMs) && ttlMs > 0 && ageMs > ttlMs) {
        problems.push(
          `onfido.maxEventAgeSeconds (${ageMs / 1000}${maxAge === undefined ? ', the default' : ''}) must not ` +
            `exceed onfido.deduplicationTtlMs (${ttlMs} ms): a delivery must be remembered for as long as it is ` +
            'accepted; lower maxEventAgeSeconds or raise deduplicationTtlMs',
        );
      }
    }
    if (options.refuseUntimedEvents !== undefined && typeof options.refuseUntimedEvents !== 'boolean') {
      problems.push('onfido.refuseUntimedEvents must be true or false');
    }
    return problems;
  },
  create: (options) => new OnfidoWebhookProvider(options),
  testing: {
    testSecret: 'test-onfido-webhook-token',
    secretEnv: 'ONFIDO_WEBHOOK_TOKEN',
    types: ONFIDO_EVENT_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...onfidoFixture(type) }),
    sign: (secret, _url, body) => signOnfidoRequest({ secret, body }),
  },
});
