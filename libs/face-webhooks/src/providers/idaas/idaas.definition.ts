import { checkEventAge } from '../../contracts/event-age.js';
import { asList, checkSecrets, checkToleranceSeconds } from '../../contracts/provider-options.checks.js';
import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookAuthSuccess,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { IdaasFaceBiometricCreatedEventDto, IdaasWebhookEventDto } from './idaas-event.dto.js';
import {
  authenticateIdaas,
  authenticateIdaasSignature,
  type IdaasAuthentication,
} from './idaas.authenticator.js';
import { IDAAS_EVENT_TYPES, type IdaasEventType } from './idaas.events.js';
import { idaasFixture } from './idaas.fixtures.js';
import { signIdaasRequest } from './idaas.signer.js';
import {
  IDAAS_DEFAULT_DEDUPLICATION_TTL_MS,
  IDAAS_DEFAULT_MAX_EVENT_AGE_SECONDS,
  IDAAS_DEFAULT_TOLERANCE_SECONDS,
  type IdaasWebhookOptions,
} from './idaas.options.js';

class IdaasWebhookProvider implements FaceWebhookProvider<IdaasWebhookEventDto> {
  readonly name = 'idaas';
  readonly dto = IdaasWebhookEventDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(IDAAS_EVENT_TYPES);
  readonly deduplicationTtlMs: number;
  private readonly authentication: IdaasAuthentication;
  private readonly maxEventAgeMs: number;

  constructor(options: IdaasWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? IDAAS_DEFAULT_DEDUPLICATION_TTL_MS;
    this.authentication = idaasAuthentication(options);
    this.maxEventAgeMs = (options.maxEventAgeSeconds ?? IDAAS_DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return authenticateIdaas(request, this.authentication);
  }

  /**
   * A signature without `created` has no time: `eventTime` then bounds how long the delivery is
   * accepted, so a replay after its de-duplication record is gone is refused.
   */
  authorize(data: IdaasWebhookEventDto, authenticated: WebhookAuthSuccess): WebhookAuthResult {
    if (authenticated.freshUntilMs !== undefined) return authenticated;
    return checkEventAge(
      'eventTime',
      new Date(data.eventTime).getTime(),
      this.maxEventAgeMs,
      this.authentication.toleranceSeconds,
    );
  }

  selectDto(body: Record<string, unknown>): new () => IdaasWebhookEventDto {
    return body.type === 'face.biometric.created' ? IdaasFaceBiometricCreatedEventDto : IdaasWebhookEventDto;
  }

  describe(data: IdaasWebhookEventDto): WebhookEventDescription {
    return { type: data.type, id: data.id, occurredAt: new Date(data.eventTime) };
  }
}

function idaasAuthentication(options: IdaasWebhookOptions): IdaasAuthentication {
  return {
    secrets: asList(options.secret),
    toleranceSeconds: options.toleranceSeconds ?? IDAAS_DEFAULT_TOLERANCE_SECONDS,
    acceptLegacySignature: options.acceptLegacySignature === true,
    publicBaseUrl: options.publicBaseUrl,
    trustForwardedHeaders: options.trustForwardedHeaders === true,
  };
}

/** Entrust IDaaS: RFC 9421 signatures (or the legacy `x-sha2-signature`), delivery ids, ISO times. */
export const idaasProviderDefinition = defineFaceWebhookProvider({
  name: 'idaas',
  title: 'Entrust IDaaS',
  openApi: {
    headers: [
      { name: 'Content-Digest', description: 'IDaaS: RFC 9530 digest of the body, `sha-256=:<base64>:`' },
      {
        name: 'Signature-Input',
        description: 'IDaaS: RFC 9421, `sig=("@method" "@target-uri" "content-digest");alg="hmac-sha256"`',
      },
      { name: 'Signature', description: 'IDaaS: RFC 9421, `sig=:<base64 HMAC-SHA256>:`' },
      { name: 'x-sha2-signature', description: 'IDaaS legacy tenants: hex HMAC-SHA256 of the body' },
    ],
    bodySchema: {
      title: 'IDaaS event',
      type: 'object',
      required: ['id', 'type', 'accountId', 'eventTime', 'data'],
      properties: {
        id: { type: 'string' },
        type: { type: 'string', example: 'face.biometric.created' },
        accountId: { type: 'string' },
        eventTime: { type: 'string', format: 'date-time' },
        data: { type: 'object' },
      },
    },
  },
  tenantSettings: [
    'secret',
    'toleranceSeconds',
    'maxEventAgeSeconds',
    'publicBaseUrl',
    'acceptLegacySignature',
  ],
  tenantOnlySettings: ['secret'],
  hasCredentials: (options) => asList(options.secret).length > 0,
  validateOptions(options: IdaasWebhookOptions, credentialsRequired: boolean) {
    const problems: string[] = [];
    const where = 'the webhook secret token from the IDaaS admin portal';
    problems.push(...checkSecrets('idaas.secret', asList(options.secret), where, credentialsRequired));
    if (options.publicBaseUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(options.publicBaseUrl);
      } catch {
        url = undefined;
      }
      if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
        problems.push(
          'idaas.publicBaseUrl must be an absolute http(s) URL without query, like https://api.example.com',
        );
      }
      if (options.trustForwardedHeaders) {
        problems.push('idaas.publicBaseUrl and idaas.trustForwardedHeaders exclude each other: choose one');
      }
    }
    problems.push(...checkToleranceSeconds('idaas.toleranceSeconds', options.toleranceSeconds));
    const maxAge = options.maxEventAgeSeconds;
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge > 0)) {
      problems.push('idaas.maxEventAgeSeconds must be a positive whole number of seconds');
    }
    return problems;
  },
  create: (options) => new IdaasWebhookProvider(options),
  testing: {
    testSecret: 'test-idaas-secret',
    secretEnv: 'IDAAS_WEBHOOK_SECRET',
    types: IDAAS_EVENT_TYPES,
    options: (secret) => ({ secret }),
    // A capture may come from a tenant still on the legacy header.
    verifyOptions: (secret) => ({ secret, acceptLegacySignature: true }),
    // The signature covers the Content-Digest header, not the body: a changed body leaves it checkable.
    authenticateHeaders: (request, options) =>
      authenticateIdaasSignature(request, idaasAuthentication(options)),
    fixture: (type) => ({ ...idaasFixture(type as IdaasEventType) }),
    sign: (secret, url, body) => signIdaasRequest({ secret, url, body }),
  },
});
