import { hash } from 'node:crypto';
import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { SecretSet } from '../../contracts/constant-time.js';
import { asList, checkSecrets } from '../../contracts/provider-options.checks.js';
import { authenticateFaceioBearer } from './faceio-bearer.authenticator.js';
import { FaceioWebhookEventDto } from './faceio-event.dto.js';
import { FACEIO_EVENT_NAMES, type FaceioEventName } from './faceio.events.js';
import { faceioFixture } from './faceio.fixtures.js';
import { signFaceioRequest } from './faceio.signer.js';
import { FACEIO_DEFAULT_DEDUPLICATION_TTL_MS, type FaceioWebhookOptions } from './faceio.options.js';

class FaceioWebhookProvider implements FaceWebhookProvider<FaceioWebhookEventDto> {
  readonly name = 'faceio';
  readonly dto = FaceioWebhookEventDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(FACEIO_EVENT_NAMES);
  readonly deduplicationTtlMs: number;
  private readonly tokens: SecretSet;
  private readonly appIds: ReadonlySet<string>;

  constructor(options: FaceioWebhookOptions) {
    this.tokens = new SecretSet(asList(options.token));
    this.appIds = new Set(asList(options.appId));
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? FACEIO_DEFAULT_DEDUPLICATION_TTL_MS;
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return authenticateFaceioBearer(request.headers, this.tokens);
  }

  authorize(data: FaceioWebhookEventDto): WebhookAuthResult {
    if (this.appIds.size === 0 || this.appIds.has(data.appId)) return { ok: true };
    return {
      ok: false,
      reason: `appId ${JSON.stringify(data.appId.slice(0, 64))} is not an accepted application`,
      code: 'unknown_app_id',
    };
  }

  describe(data: FaceioWebhookEventDto, rawBody: Buffer): WebhookEventDescription {
    // FACEIO sends no event id; the same body twice within the window is the same delivery.
    const id = hash('sha256', rawBody);
    return { type: data.eventName, id, occurredAt: parseFaceioTimestamp(data.details?.timestamp) };
  }
}

/** FACEIO timestamps are UTC, with or without a time and usually without an offset. */
function parseFaceioTimestamp(timestamp: string | undefined): Date | undefined {
  if (!timestamp) return undefined;
  const withZone =
    /(?:Z|[+-]\d{2}:?\d{2})$/.test(timestamp) || timestamp.length === 10 ? timestamp : `${timestamp}Z`;
  const date = new Date(withZone.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** FACEIO: `WWW-Authenticate: Bearer <token>`, JSON body, no event id. */
export const faceioProviderDefinition = defineFaceWebhookProvider({
  name: 'faceio',
  title: 'FACEIO',
  openApi: {
    headers: [
      {
        name: 'WWW-Authenticate',
        description: 'FACEIO: `Bearer <application webhook token>` (or in Authorization)',
      },
    ],
    bodySchema: {
      title: 'FACEIO event',
      type: 'object',
      required: ['eventName', 'facialId', 'appId', 'clientIp'],
      properties: {
        eventName: {
          type: 'string',
          example: 'ENROLL',
          description: 'ENROLL, AUTH, DELETION or another FACEIO event',
        },
        facialId: { type: 'string' },
        appId: { type: 'string' },
        clientIp: { type: 'string', description: 'IPv4 or IPv6' },
        payload: { description: 'any JSON linked to the user; absent on DELETION' },
        details: {
          type: 'object',
          properties: { timestamp: { type: 'string' }, gender: { type: 'string' }, age: { type: 'string' } },
        },
      },
    },
  },
  tenantSettings: ['token', 'appId'],
  tenantOnlySettings: ['token'],
  hasCredentials: (options) => asList(options.token).length > 0,
  validateOptions(options: FaceioWebhookOptions, credentialsRequired: boolean) {
    const problems: string[] = [];
    const tokens = asList(options.token);
    const where = 'the webhook token from the FACEIO Console';
    problems.push(...checkSecrets('faceio.token', tokens, where, credentialsRequired));
    if (problems.length === 0 && tokens.some((token) => /\s/.test(token))) {
      problems.push('faceio.token must not contain white space');
    }
    return problems;
  },
  create: (options) => new FaceioWebhookProvider(options),
  testing: {
    testSecret: 'test-faceio-token',
    secretEnv: 'FACEIO_WEBHOOK_TOKEN',
    secretFlag: '--token',
    types: FACEIO_EVENT_NAMES,
    options: (token) => ({ token }),
    fixture: (type) => ({ ...faceioFixture(type as FaceioEventName) }),
    sign: (token, _url, body) => signFaceioRequest({ token, body }),
  },
});
