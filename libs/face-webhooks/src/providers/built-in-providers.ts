import { faceioProviderDefinition } from './faceio/faceio.definition.js';
import { faceSignProviderDefinition } from './facesign/facesign.definition.js';
import { idaasProviderDefinition } from './idaas/idaas.definition.js';
import { stripeIdentityProviderDefinition } from './stripe-identity/stripe-identity.definition.js';
import { personaProviderDefinition } from './persona/persona.definition.js';
import { standardProviderDefinition } from './standard/standard.definition.js';
import { onfidoProviderDefinition } from './onfido/onfido.definition.js';
import { veriffProviderDefinition } from './veriff/veriff.definition.js';
import { sumsubProviderDefinition } from './sumsub/sumsub.definition.js';

/**
 * Every provider the library ships. The module's options type, its routes, the testing kit, the
 * CLI and the OpenAPI document are all derived from this list: a new provider is its folder (on
 * the public contract, `defineFaceWebhookProvider`), one entry here, and its exports below.
 */
export const BUILT_IN_PROVIDERS = [
  faceioProviderDefinition,
  faceSignProviderDefinition,
  idaasProviderDefinition,
  stripeIdentityProviderDefinition,
  personaProviderDefinition,
  standardProviderDefinition,
  onfidoProviderDefinition,
  veriffProviderDefinition,
  sumsubProviderDefinition,
] as const;

export * from './faceio/index.js';
export * from './facesign/index.js';
export * from './idaas/index.js';
export * from './stripe-identity/index.js';
export * from './persona/index.js';
export * from './standard/index.js';
export * from './onfido/index.js';
export * from './veriff/index.js';
export * from './sumsub/index.js';
