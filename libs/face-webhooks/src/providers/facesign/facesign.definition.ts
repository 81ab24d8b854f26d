import { Logger } from '@nestjs/common';
import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { asList, checkSecrets, checkToleranceSeconds } from '../../contracts/provider-options.checks.js';
import { FaceSignWebhookEventDto } from './facesign-event.dto.js';
import { verifyFaceSignRequest, type FaceSignVerification } from './facesign-signature.js';
import { FACESIGN_EVENT_TYPES, type FaceSignEventType } from './facesign.event-types.js';
import { FaceSignMediaService } from './facesign-media.service.js';
import { faceSignFixture } from './facesign.fixtures.js';
import { signFaceSignRequest } from './facesign.signer.js';
import {
  FACESIGN_DEFAULT_DEDUPLICATION_TTL_MS,
  FACESIGN_DEFAULT_TOLERANCE_SECONDS,
  type FaceSignWebhookOptions,
} from './facesign.options.js';

class FaceSignWebhookProvider implements FaceWebhookProvider<FaceSignWebhookEventDto> {
  readonly name = 'facesign';
  readonly dto = FaceSignWebhookEventDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(FACESIGN_EVENT_TYPES);
  readonly deduplicationTtlMs: number;
  private readonly verification: FaceSignVerification;

  constructor(options: FaceSignWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? FACESIGN_DEFAULT_DEDUPLICATION_TTL_MS;
    this.verification = {
      secrets: asList(options.secret),
      toleranceSeconds: options.toleranceSeconds ?? FACESIGN_DEFAULT_TOLERANCE_SECONDS,
      allowUnsigned: options.allowUnsigned === true,
    };
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return verifyFaceSignRequest(request.headers, request.rawBody, this.verification);
  }

  describe(data: FaceSignWebhookEventDto): WebhookEventDescription {
    return { type: data.type, id: data.id, occurredAt: new Date(data.createdAt) };
  }
}

/** FaceSign: `X-FaceSign-Signature: t=<ts>,v1=<hex>` over `"<ts>.<raw body>"`, event ids, Unix-ms times. */
export const faceSignProviderDefinition = defineFaceWebhookProvider({
  name: 'facesign',
  title: 'FaceSign',
  openApi: {
    headers: [
      {
        name: 'X-FaceSign-Signature',
        description: 'FaceSign: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`',
      },
      { name: 'X-FaceSign-Timestamp', description: 'FaceSign: Unix seconds, equal to t' },
    ],
    bodySchema: {
      title: 'FaceSign event',
      type: 'object',
      required: ['id', 'type', 'createdAt', 'sessionId'],
      properties: {
        id: { type: 'string' },
        type: { type: 'string', example: 'media.user_photo' },
        createdAt: { type: 'integer', description: 'Unix milliseconds' },
        sessionId: { type: 'string' },
        media: {
          type: 'object',
          description: 'on media.* events',
          properties: {
            id: { type: 'string' },
            createdAt: { type: 'integer' },
            url: { type: 'string', format: 'uri' },
            expires: { type: 'integer', description: 'Unix milliseconds' },
            contentType: { type: 'string' },
          },
        },
      },
    },
  },
  tenantSettings: ['secret', 'toleranceSeconds'],
  tenantOnlySettings: ['secret', 'allowUnsigned'],
  // FaceSign signs the body and a timestamp, not the URL: a shared secret is a shared tenant.
  distinctTenantSecrets: ['secret'],
  hasCredentials: (options) => asList(options.secret).length > 0 || options.allowUnsigned === true,
  validateOptions(options: FaceSignWebhookOptions, credentialsRequired: boolean) {
    const problems: string[] = [];
    const where = 'the webhook signing secret from the FaceSign dashboard';
    const required = credentialsRequired && !options.allowUnsigned;
    problems.push(...checkSecrets('facesign.secret', asList(options.secret), where, required));
    if (options.allowUnsigned && process.env.NODE_ENV === 'production') {
      problems.push(
        'facesign.allowUnsigned accepts forged deliveries and is refused when NODE_ENV=production',
      );
    }
    problems.push(...checkToleranceSeconds('facesign.toleranceSeconds', options.toleranceSeconds));
    return problems;
  },
  create(options) {
    if (options.allowUnsigned) {
      new Logger('FaceWebhooks').warn(
        'facesign.allowUnsigned is on: FaceSign deliveries without a signature are accepted',
      );
    }
    return new FaceSignWebhookProvider(options);
  },
  moduleProviders: [FaceSignMediaService],
  testing: {
    testSecret: 'whsec_test_facesign_secret',
    secretEnv: 'FACESIGN_WEBHOOK_SECRET',
    types: FACESIGN_EVENT_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...faceSignFixture(type as FaceSignEventType) }),
    sign: (secret, _url, body) => signFaceSignRequest({ secret, body }),
  },
});
