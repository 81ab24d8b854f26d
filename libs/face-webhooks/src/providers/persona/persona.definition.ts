import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { readTime } from '../../contracts/is-readable-time.decorator.js';
import { asList, checkSecrets, checkToleranceSeconds } from '../../contracts/provider-options.checks.js';
import {
  personaAttribute,
  PersonaInquiryEventDto,
  PersonaVerificationEventDto,
  PersonaWebhookEventDto,
} from './persona-event.dto.js';
import { verifyPersonaRequest, type PersonaVerification } from './persona-signature.js';
import {
  PERSONA_EVENT_TYPES,
  PERSONA_INQUIRY_EVENT_TYPES,
  PERSONA_VERIFICATION_EVENT_TYPES,
} from './persona.event-types.js';
import { personaFixture } from './persona.fixtures.js';
import {
  PERSONA_DEFAULT_DEDUPLICATION_TTL_MS,
  PERSONA_DEFAULT_TOLERANCE_SECONDS,
  type PersonaWebhookOptions,
} from './persona.options.js';
import { signPersonaRequest } from './persona.signer.js';

/** Any validated Persona body: typed inquiry or verification events, or the generic envelope. */
export type PersonaEventBody = PersonaWebhookEventDto | PersonaInquiryEventDto | PersonaVerificationEventDto;

const INQUIRY_TYPES: ReadonlySet<string> = new Set(PERSONA_INQUIRY_EVENT_TYPES);
const VERIFICATION_TYPES: ReadonlySet<string> = new Set(PERSONA_VERIFICATION_EVENT_TYPES);

/** `body.data.attributes.name` of a parsed, not yet validated body, if it is a string. */
function eventName(body: Record<string, unknown>): string | undefined {
  const data = body.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const attributes = (data as Record<string, unknown>).attributes;
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const name = (attributes as Record<string, unknown>).name;
  return typeof name === 'string' ? name : undefined;
}

class PersonaWebhookProvider implements FaceWebhookProvider<PersonaEventBody> {
  readonly name = 'persona';
  readonly dto = PersonaWebhookEventDto;
  readonly knownTypes: ReadonlySet<string> = new Set<string>(PERSONA_EVENT_TYPES);
  readonly deduplicationTtlMs: number;
  private readonly verification: PersonaVerification;

  constructor(options: PersonaWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? PERSONA_DEFAULT_DEDUPLICATION_TTL_MS;
    this.verification = {
      secrets: asList(options.secret),
      toleranceSeconds: options.toleranceSeconds ?? PERSONA_DEFAULT_TOLERANCE_SECONDS,
    };
  }

  /** The typed events get their strict DTO; any other name the generic envelope. */
  selectDto(body: Record<string, unknown>): new () => PersonaEventBody {
    const name = eventName(body);
    if (name !== undefined && INQUIRY_TYPES.has(name)) return PersonaInquiryEventDto;
    if (name !== undefined && VERIFICATION_TYPES.has(name)) return PersonaVerificationEventDto;
    return PersonaWebhookEventDto;
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return verifyPersonaRequest(request.headers, request.rawBody, this.verification);
  }

  describe(body: PersonaEventBody): WebhookEventDescription {
    const createdAt = personaAttribute(body.data.attributes, 'created-at');
    const occurredAt = typeof createdAt === 'string' ? readTime(createdAt) : undefined;
    return { type: body.data.attributes.name, id: body.data.id, ...(occurredAt ? { occurredAt } : {}) };
  }
}

/** Persona: `Persona-Signature: t=<ts>,v1=<hex>` over `"<ts>.<raw body>"`, JSON:API event bodies. */
export const personaProviderDefinition = defineFaceWebhookProvider({
  name: 'persona',
  title: 'Persona',
  openApi: {
    headers: [
      {
        name: 'Persona-Signature',
        description:
          'Persona: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; two such sets separated by a space while a secret rotates',
      },
    ],
    bodySchema: {
      title: 'Persona event (JSON:API)',
      type: 'object',
      required: ['data'],
      properties: {
        data: {
          type: 'object',
          required: ['type', 'id', 'attributes'],
          properties: {
            type: { type: 'string', enum: ['event'] },
            id: { type: 'string', example: 'evt_XGuYWp7WuDzNxie5z16s7sGJ' },
            attributes: {
              type: 'object',
              required: ['name', 'payload'],
              properties: {
                name: { type: 'string', example: 'inquiry.approved' },
                'created-at': { type: 'string', format: 'date-time' },
                payload: {
                  type: 'object',
                  description:
                    'JSON:API document of the resource: `data` (inquiry, verification/...) and `included`',
                },
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
  validateOptions(options: PersonaWebhookOptions, credentialsRequired: boolean) {
    return [
      ...checkSecrets(
        'persona.secret',
        asList(options.secret),
        'the webhook secret from the Persona dashboard (Webhooks)',
        credentialsRequired,
      ),
      ...checkToleranceSeconds('persona.toleranceSeconds', options.toleranceSeconds),
    ];
  },
  create: (options) => new PersonaWebhookProvider(options),
  testing: {
    testSecret: 'wbhsec_test_persona_secret',
    secretEnv: 'PERSONA_WEBHOOK_SECRET',
    types: PERSONA_EVENT_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...personaFixture(type) }),
    sign: (secret, _url, body) => signPersonaRequest({ secret, body }),
  },
});
