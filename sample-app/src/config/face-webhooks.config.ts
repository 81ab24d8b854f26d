import type { ConfigService } from '@nestjs/config';
import type { FaceWebhooksModuleOptions } from 'nestjs-face-webhooks';
import { IdentityCheckCompletedData } from '../identity-verifications/identity-check.events.js';
import { livenessProvider } from '../liveness/liveness.definition.js';
import { FaceioTenantResolver } from '../tenants/faceio-tenant.resolver.js';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Builds the module's options from the environment; a missing variable stops the app naming it. */
export function faceWebhooksConfig(config: ConfigService): FaceWebhooksModuleOptions {
  const flag = (name: string) => config.get<string>(name) === 'true';
  const allowHttpMedia = flag('FACESIGN_MEDIA_ALLOW_HTTP');
  return {
    faceio: {
      token: list(config.getOrThrow<string>('FACEIO_WEBHOOK_TOKEN')),
      // The platform's customers, each with its own FACEIO application: /webhooks/faceio/<tenant>.
      tenants: { resolve: FaceioTenantResolver, cacheTtlMs: 30_000 },
    },
    facesign: {
      secret: list(config.getOrThrow<string>('FACESIGN_WEBHOOK_SECRET')),
      media: { allowedProtocols: allowHttpMedia ? ['https:', 'http:'] : ['https:'] },
    },
    idaas: {
      secret: list(config.getOrThrow<string>('IDAAS_WEBHOOK_SECRET')),
      publicBaseUrl: config.get<string>('IDAAS_PUBLIC_BASE_URL') || undefined,
      trustForwardedHeaders: flag('IDAAS_TRUST_FORWARDED_HEADERS'),
      acceptLegacySignature: flag('IDAAS_ACCEPT_LEGACY_SIGNATURE'),
    },
    // Identity verification: decisions recorded per user by src/identity-verifications/.
    'stripe-identity': { secret: list(config.getOrThrow<string>('STRIPE_IDENTITY_WEBHOOK_SECRET')) },
    persona: { secret: list(config.getOrThrow<string>('PERSONA_WEBHOOK_SECRET')) },
    onfido: { secret: list(config.getOrThrow<string>('ONFIDO_WEBHOOK_TOKEN')) },
    veriff: { secret: list(config.getOrThrow<string>('VERIFF_WEBHOOK_SECRET')) },
    sumsub: { secret: list(config.getOrThrow<string>('SUMSUB_WEBHOOK_SECRET')) },
    // A Standard Webhooks sender (the platform's identity-check service): each type it sends that
    // the app handles, with the class that validates its `data`.
    standard: {
      secret: list(config.getOrThrow<string>('STANDARD_WEBHOOK_SECRET')),
      events: { 'identity.check.completed': IdentityCheckCompletedData },
    },
    // The app's own provider, written on the library's public contract (src/liveness/).
    webhookProviders: [
      livenessProvider.configure({ secret: list(config.getOrThrow<string>('LIVENESS_WEBHOOK_SECRET')) }),
    ],
  };
}
