import { hash } from 'node:crypto';
import { defineFaceWebhookProvider } from '../../contracts/define-face-webhook-provider.js';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookEventDescription,
  WebhookRequest,
} from '../../contracts/face-webhook-provider.interface.js';
import { asList, checkSecrets, checkToleranceSeconds } from '../../contracts/provider-options.checks.js';
import { standardEnvelopeFor, StandardWebhookEventDto } from './standard-event.dto.js';
import { decodePublicKey, decodeSecret, SECRET_KEY_PREFIX } from './standard-keys.js';
import { verifyStandardRequest, type StandardVerification } from './standard-signature.js';
import {
  isStandardEventType,
  STANDARD_FIXTURE_TYPES,
  type StandardFixtureType,
} from './standard.event-types.js';
import { standardWebhookFixture } from './standard.fixtures.js';
import {
  STANDARD_DEFAULT_DEDUPLICATION_TTL_MS,
  STANDARD_DEFAULT_TOLERANCE_SECONDS,
  type StandardWebhookOptions,
} from './standard.options.js';
import { signStandardWebhookRequest } from './standard.signer.js';

class StandardWebhookProvider implements FaceWebhookProvider<StandardWebhookEventDto> {
  readonly name = 'standard';
  readonly dto = StandardWebhookEventDto;
  readonly knownTypes: ReadonlySet<string>;
  readonly deduplicationTtlMs: number;
  private readonly verification: StandardVerification;
  private readonly envelopes = new Map<string, new () => StandardWebhookEventDto>();

  constructor(options: StandardWebhookOptions) {
    this.deduplicationTtlMs = options.deduplicationTtlMs ?? STANDARD_DEFAULT_DEDUPLICATION_TTL_MS;
    // validateOptions has checked that every secret and key decodes.
    this.verification = {
      secrets: asList(options.secret).map((secret) => decodeSecret(secret)!),
      publicKeys: asList(options.publicKey).map((key) => decodePublicKey(key)!),
      toleranceSeconds: options.toleranceSeconds ?? STANDARD_DEFAULT_TOLERANCE_SECONDS,
    };
    for (const [type, dataClass] of Object.entries(options.events ?? {})) {
      this.envelopes.set(type, standardEnvelopeFor(dataClass));
    }
    this.knownTypes = new Set(this.envelopes.keys());
  }

  authenticate(request: WebhookRequest): WebhookAuthResult {
    return verifyStandardRequest(request.headers, request.rawBody, this.verification);
  }

  selectDto(body: Record<string, unknown>): new () => StandardWebhookEventDto {
    return (typeof body.type === 'string' && this.envelopes.get(body.type)) || StandardWebhookEventDto;
  }

  describe(data: StandardWebhookEventDto, rawBody: Buffer): WebhookEventDescription {
    // The id that counts is the signed webhook-id, which authenticate returns as eventId; the
    // body's digest only stands in for it where no header was seen.
    return { type: data.type, id: hash('sha256', rawBody, 'hex'), occurredAt: new Date(data.timestamp) };
  }
}

function checkKeys(options: StandardWebhookOptions, credentialsRequired: boolean): string[] {
  const secrets = asList(options.secret);
  const publicKeys = asList(options.publicKey);
  const problems = [
    ...checkSecrets('standard.secret', secrets, "the endpoint's signing secret (whsec_...)", false),
    ...checkSecrets('standard.publicKey', publicKeys, "the sender's public key (whpk_...)", false),
  ];
  if (problems.length > 0) return problems;
  if (credentialsRequired && secrets.length === 0 && publicKeys.length === 0) {
    return [
      "standard.secret or standard.publicKey is required: the endpoint's signing secret (whsec_...) " +
        "from the sender's dashboard, or the sender's public key (whpk_...) (or a list, to rotate)",
    ];
  }
  secrets.forEach((secret, index) => {
    if (decodeSecret(secret) === undefined) {
      const setting = secrets.length > 1 ? `standard.secret[${index}]` : 'standard.secret';
      problems.push(
        secret.startsWith('whpk_') || secret.startsWith(SECRET_KEY_PREFIX)
          ? `${setting} is an Ed25519 key: give the whpk_ public key as standard.publicKey`
          : `${setting} must be whsec_ followed by base64, as the sender shows it`,
      );
    }
  });
  publicKeys.forEach((key, index) => {
    if (decodePublicKey(key) === undefined) {
      const setting = publicKeys.length > 1 ? `standard.publicKey[${index}]` : 'standard.publicKey';
      problems.push(
        key.startsWith(SECRET_KEY_PREFIX)
          ? `${setting} is a whsk_ secret key: give the sender's whpk_ public key, and keep the secret key secret`
          : `${setting} must be whpk_ followed by the base64 of a 32-byte Ed25519 public key`,
      );
    }
  });
  return problems;
}

function checkEvents(events: unknown): string[] {
  if (events === undefined) return [];
  if (typeof events !== 'object' || events === null || Array.isArray(events)) {
    return ['standard.events must map event types to the classes of their data'];
  }
  const problems: string[] = [];
  for (const [type, dataClass] of Object.entries(events)) {
    if (!isStandardEventType(type)) {
      problems.push(
        `standard.events: "${type.slice(0, 40)}" is not an event type (full-stop separated identifiers of letters, digits, _ and -, at most 128 characters)`,
      );
    } else if (typeof dataClass !== 'function') {
      problems.push(`standard.events["${type}"] must be the class (a class-validator DTO) of its data`);
    }
  }
  return problems;
}

/**
 * Standard Webhooks (Svix, and every sender that follows the spec): `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` (or their `svix-` names), `v1` HMAC-SHA256 and `v1a`
 * Ed25519 signatures of `${id}.${timestamp}.${body}`, bodies `{ type, timestamp, data }`.
 */
export const standardProviderDefinition = defineFaceWebhookProvider({
  name: 'standard',
  title: 'Standard Webhooks',
  openApi: {
    headers: [
      {
        name: 'webhook-id',
        description: 'Standard Webhooks: the message id, the same on every retry (also as svix-id)',
      },
      {
        name: 'webhook-timestamp',
        description: 'Standard Webhooks: Unix seconds of this attempt (also as svix-timestamp)',
      },
      {
        name: 'webhook-signature',
        description:
          'Standard Webhooks: space-separated `v1,<base64 HMAC-SHA256>` and `v1a,<base64 Ed25519>` of "<id>.<timestamp>.<body>" (also as svix-signature)',
      },
    ],
    bodySchema: {
      title: 'Standard Webhooks event',
      type: 'object',
      required: ['type', 'timestamp', 'data'],
      properties: {
        type: { type: 'string', example: 'invoice.paid', maxLength: 128 },
        timestamp: { type: 'string', format: 'date-time', description: 'when the event happened' },
        data: { type: 'object', description: "the event's data; its shape depends on the type" },
      },
    },
  },
  tenantSettings: ['secret', 'publicKey', 'toleranceSeconds'],
  tenantOnlySettings: ['secret', 'publicKey'],
  hasCredentials: (options) => asList(options.secret).length > 0 || asList(options.publicKey).length > 0,
  validateOptions(options: StandardWebhookOptions, credentialsRequired: boolean) {
    return [
      ...checkKeys(options, credentialsRequired),
      ...checkToleranceSeconds('standard.toleranceSeconds', options.toleranceSeconds),
      ...checkEvents(options.events),
    ];
  },
  create: (options) => new StandardWebhookProvider(options),
  testing: {
    // base64 of "test-standard-webhooks-secret-32" (32 bytes).
    testSecret: 'whsec_dGVzdC1zdGFuZGFyZC13ZWJob29rcy1zZWNyZXQtMzI=',
    secretEnv: 'STANDARD_WEBHOOK_SECRET',
    types: STANDARD_FIXTURE_TYPES,
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...standardWebhookFixture(type as StandardFixtureType) }),
    sign: (secret, _url, body) => signStandardWebhookRequest({ secret, body }),
  },
});
