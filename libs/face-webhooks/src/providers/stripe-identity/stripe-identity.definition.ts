import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { asList, checkSecrets, checkToleranceSeconds } from '../../contracts/provider-options.checks.js';
import { StripeIdentityEventDto, StripeVerificationSessionEventDto } from './stripe-identity-event.dto.js';
import { verifyStripeSignature, type StripeSignatureVerification } from './stripe-identity-signature.js';
import {
  STRIPE_IDENTITY_EVENT_TYPES,
  STRIPE_VERIFICATION_SESSION_TYPE_PREFIX,
  type StripeIdentityEventType,
} from './stripe-identity.event-types.js';
import { stripeIdentityFixture } from './stripe-identity.fixtures.js';
import { signStripeIdentityRequest } from './stripe-identity.signer.js';
import {
  STRIPE_IDENTITY_DEFAULT_DEDUPLICATION_TTL_MS,
  STRIPE_IDENTITY_DEFAULT_TOLERANCE_SECONDS,
  type StripeIdentityWebhookOptions,
} from './stripe-identity.options.js';

class StripeIdentityWebhookProvider implements FaceWebhookProvider<StripeIdentityEventDto> {
  readonly name = 'stripe-identity';
  readonly dto = StripeIdentityEventDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(STRIPE_IDENTITY_EVENT_TYPES);
  readonly deduplicationTtlMs: number;
  private readonly verification: StripeSignatureVerification;

  constructor(options: StripeIdentityWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? STRIPE_IDENTITY_DEFAULT_DEDUPLICATION_TTL_MS;
    this.verification = {
      secrets: asList(options.secret),
      toleranceSeconds: options.toleranceSeconds ?? STRIPE_IDENTITY_DEFAULT_TOLERANCE_SECONDS,
    };
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return verifyStripeSignature(request.headers, request.rawBody, this.verification);
  }

  /** A VerificationSession event is checked field by field; any other `identity.*` event by its envelope. */
  selectDto(body: Record<string, unknown>): new () => StripeIdentityEventDto {
    return typeof body.type === 'string' && body.type.startsWith(STRIPE_VERIFICATION_SESSION_TYPE_PREFIX)
      ? StripeVerificationSessionEventDto
      : StripeIdentityEventDto;
  }

  describe(data: StripeIdentityEventDto): WebhookEventDescription {
    return { type: data.type, id: data.id, occurredAt: new Date(data.created * 1000) };
  }
}

const SECRET_WHERE =
  'the endpoint signing secret (whsec_...) from the Stripe Dashboard, Developers > Webhooks > your endpoint > Signing secret';

/**
 * Stripe Identity: `Stripe-Signature: t=<ts>,v1=<hex>` over `"<ts>.<raw body>"` keyed with the
 * endpoint's `whsec_` secret, `evt_` event ids, Unix-second times; `identity.*` events only.
 */
export const stripeIdentityProviderDefinition = defineFaceWebhookProvider({
  name: 'stripe-identity',
  title: 'Stripe Identity',
  openApi: {
    headers: [
      {
        name: 'Stripe-Signature',
        description:
          'Stripe: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (one v1 per active secret; v0 and other keys ignored)',
      },
    ],
    bodySchema: {
      title: 'Stripe Identity event',
      type: 'object',
      required: ['id', 'object', 'type', 'created', 'livemode', 'data'],
      properties: {
        id: { type: 'string', example: 'evt_1QxY2ZLkdIwHu7ixAbCdEf12' },
        object: { type: 'string', enum: ['event'] },
        type: { type: 'string', example: 'identity.verification_session.verified' },
        created: { type: 'integer', description: 'Unix seconds' },
        livemode: { type: 'boolean' },
        api_version: { type: ['string', 'null'] },
        data: {
          type: 'object',
          required: ['object'],
          properties: {
            object: {
              type: 'object',
              description: 'The VerificationSession on identity.verification_session.* events',
              required: ['id', 'object', 'status', 'last_error', 'metadata'],
              properties: {
                id: { type: 'string', example: 'vs_1NuNAILkdIwHu7ixh7OtGMLw' },
                object: { type: 'string', enum: ['identity.verification_session'] },
                status: { type: 'string', enum: ['requires_input', 'processing', 'verified', 'canceled'] },
                last_error: {
                  type: ['object', 'null'],
                  properties: { code: { type: ['string', 'null'] }, reason: { type: ['string', 'null'] } },
                },
                client_reference_id: { type: ['string', 'null'] },
                metadata: { type: 'object', additionalProperties: { type: 'string' } },
                verified_outputs: { type: ['object', 'null'] },
              },
            },
          },
        },
      },
    },
  },
  tenantSettings: ['secret', 'toleranceSeconds'],
  tenantOnlySettings: ['secret'],
  hasCredentials: (options) => asList(options.secret).length > 0,
  validateOptions(options: StripeIdentityWebhookOptions, credentialsRequired: boolean) {
    const secrets = asList(options.secret);
    const problems = checkSecrets('stripe-identity.secret', secrets, SECRET_WHERE, credentialsRequired);
    if (problems.length === 0 && secrets.some((secret) => !secret.startsWith('whsec_'))) {
      problems.push(
        `stripe-identity.secret must be an endpoint signing secret starting with whsec_ (not an API key): ${SECRET_WHERE}`,
      );
    }
    problems.push(...checkToleranceSeconds('stripe-identity.toleranceSeconds', options.toleranceSeconds));
    return problems;
  },
  create: (options) => new StripeIdentityWebhookProvider(options),
  testing: {
    testSecret: 'whsec_test_stripe_identity_secret',
    secretEnv: 'STRIPE_IDENTITY_WEBHOOK_SECRET',
    types: STRIPE_IDENTITY_EVENT_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...stripeIdentityFixture(type as StripeIdentityEventType) }),
    sign: (secret, _url, body) => signStripeIdentityRequest({ secret, body }),
  },
});
