import { createHmac, randomBytes } from 'node:crypto';
import {
  asList,
  bytesEqual,
  checkSecrets,
  defineFaceWebhookProvider,
  type CommonProviderOptions,
  type FaceWebhookProviderInstance,
  type WebhookAuthResult,
  type WebhookAuthSuccess,
  type WebhookRequest,
} from 'nestjs-face-webhooks';
import {
  LIVENESS_EVENT_TYPES,
  LivenessCheckFailedEventDto,
  LivenessEventDto,
  type LivenessEventType,
} from './liveness-event.dto.js';

// An in-house provider: a small liveness vendor that signs each delivery with
// `X-Liveness-Signature: sha256=<hex HMAC-SHA256 of the body>` under a shared secret, and puts the
// event's time in the body. It is written on the library's public contract only, like FACEIO,
// FaceSign and IDaaS: the module serves POST /webhooks/liveness for it, the testing kit and the
// CLI (`--providers dist/sample-app/liveness/liveness.definition.js`) send its events.

export interface LivenessWebhookOptions extends CommonProviderOptions {
  /** The webhook secret from the vendor's dashboard, or several while rotating: any match passes. */
  readonly secret?: string | readonly string[];
  /**
   * The signature covers no time, so a captured delivery could be sent again later: the event's
   * `createdAt` must be at most this old (and at most a minute ahead). Default 600.
   */
  readonly maxEventAgeSeconds?: number;
}

const HEADER = 'x-liveness-signature';
/** Longer than the vendor's retries (a day). */
const DEDUPLICATION_TTL_MS = 48 * 3600 * 1000;
const CLOCK_SKEW_MS = 60_000;

/** `sha256=<hex>` of the body under `secret`. */
export function livenessSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function createLivenessProvider(
  options: LivenessWebhookOptions,
): FaceWebhookProviderInstance<LivenessEventDto> {
  const secrets = asList(options.secret);
  const maxAgeMs = (options.maxEventAgeSeconds ?? 600) * 1000;
  return {
    dto: LivenessEventDto,
    selectDto: (body) => (body.type === 'check.failed' ? LivenessCheckFailedEventDto : LivenessEventDto),
    knownTypes: new Set<string>(LIVENESS_EVENT_TYPES),
    deduplicationTtlMs: options.deduplicationTtlMs ?? DEDUPLICATION_TTL_MS,

    authenticate(request: WebhookRequest): WebhookAuthResult {
      const header = request.headers[HEADER];
      if (header === undefined)
        return { ok: false, reason: `no ${HEADER} header`, code: 'missing_credentials' };
      // A repeated header arrives as a list (or joined by commas): refused, never guessed at.
      if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(header)) {
        return {
          ok: false,
          reason: `${HEADER} is not sha256=<64 hex digits>`,
          code: 'malformed_credentials',
        };
      }
      const given = Buffer.from(header);
      let matched = false;
      // Every secret is tried, with no early exit; the comparison is constant-time.
      for (const secret of secrets) {
        matched = bytesEqual(given, Buffer.from(livenessSignature(secret, request.rawBody))) || matched;
      }
      return matched
        ? { ok: true }
        : { ok: false, reason: 'no secret produces this signature', code: 'signature_mismatch' };
    },

    // The time is in the body, so freshness is checked once the body is valid; the event's record
    // is kept until it is too old to pass this check, so a replay is refused or recognised.
    authorize(data: LivenessEventDto, authenticated: WebhookAuthSuccess): WebhookAuthResult {
      const createdAt = Date.parse(data.createdAt);
      const now = Date.now();
      if (createdAt > now + CLOCK_SKEW_MS) {
        return { ok: false, reason: 'createdAt is in the future', code: 'timestamp_outside_window' };
      }
      if (now - createdAt > maxAgeMs) {
        return { ok: false, reason: 'createdAt is older than maxEventAgeSeconds', code: 'event_too_old' };
      }
      return { ...authenticated, freshUntilMs: createdAt + maxAgeMs };
    },

    describe: (data) => ({ type: data.type, id: data.id, occurredAt: new Date(data.createdAt) }),
  };
}

const fixtures: Record<LivenessEventType, () => Record<string, unknown>> = {
  'check.passed': () => ({ sessionId: 'ls_7Hq2', userRef: 'user-42', score: 0.97 }),
  'check.failed': () => ({ sessionId: 'ls_9Kd4', userRef: 'user-42', score: 0.12, reason: 'spoof_detected' }),
  'session.expired': () => ({ sessionId: 'ls_1Zx8', userRef: 'user-7' }),
};

/** The in-house liveness vendor: `POST /webhooks/liveness`, events `liveness.check.passed` and so on. */
export const livenessProvider = defineFaceWebhookProvider({
  name: 'liveness',
  title: 'In-house liveness vendor',
  validateOptions(options: LivenessWebhookOptions, credentialsRequired: boolean) {
    const problems = checkSecrets(
      'liveness.secret',
      asList(options.secret),
      "the webhook secret from the vendor's dashboard",
      credentialsRequired,
    );
    const maxAge = options.maxEventAgeSeconds;
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge > 0 && maxAge <= 86_400)) {
      problems.push('liveness.maxEventAgeSeconds must be a whole number of seconds from 1 to 86400');
    }
    return problems;
  },
  hasCredentials: (options) => asList(options.secret).length > 0,
  tenantSettings: ['secret', 'maxEventAgeSeconds'],
  tenantOnlySettings: ['secret'],
  create: createLivenessProvider,
  openApi: {
    headers: [
      {
        name: 'X-Liveness-Signature',
        description: 'Liveness vendor: `sha256=<hex HMAC-SHA256 of the body>`',
      },
    ],
    bodySchema: {
      title: 'Liveness vendor event',
      type: 'object',
      required: ['id', 'type', 'createdAt', 'result'],
      properties: {
        id: { type: 'string', example: 'lv_evt_3f9a1c2b7d' },
        type: { type: 'string', enum: [...LIVENESS_EVENT_TYPES] },
        createdAt: { type: 'string', format: 'date-time' },
        result: {
          type: 'object',
          required: ['sessionId', 'userRef'],
          properties: {
            sessionId: { type: 'string' },
            userRef: { type: 'string' },
            score: { type: 'number', minimum: 0, maximum: 1 },
            reason: { type: 'string', description: 'on check.failed' },
          },
        },
      },
    },
  },
  testing: {
    testSecret: 'test-liveness-secret',
    secretEnv: 'LIVENESS_WEBHOOK_SECRET',
    types: LIVENESS_EVENT_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({
      id: `lv_evt_${randomBytes(8).toString('hex')}`,
      type,
      createdAt: new Date().toISOString(),
      result: fixtures[type as LivenessEventType](),
    }),
    sign: (secret, _url, body) => ({
      headers: { 'content-type': 'application/json', [HEADER]: livenessSignature(secret, body) },
      body,
    }),
  },
});
