/**
 * What you import to test your own handlers: `createFaceWebhooksTestingApp`, which boots your
 * providers with the module and delivers signed requests through the real HTTP pipeline, and for
 * each built-in provider a fixture (a valid body per event type) and a signer (the headers that
 * provider would send).
 *
 * @packageDocumentation
 * @module nestjs-face-webhooks/testing
 */
export { faceioFixture, type FaceioFixture } from '../providers/faceio/faceio.fixtures.js';
export { signFaceioRequest, type SignedFaceioRequest } from '../providers/faceio/faceio.signer.js';
export { faceSignFixture, type FaceSignFixture } from '../providers/facesign/facesign.fixtures.js';
export { signFaceSignRequest, type SignedFaceSignRequest } from '../providers/facesign/facesign.signer.js';
export { idaasFixture, type IdaasFixture } from '../providers/idaas/idaas.fixtures.js';
export {
  signIdaasLegacyRequest,
  signIdaasRequest,
  type IdaasSigningInput,
  type SignedIdaasRequest,
} from '../providers/idaas/idaas.signer.js';
export { personaFixture, type PersonaFixture } from '../providers/persona/persona.fixtures.js';
export { signPersonaRequest, type SignedPersonaRequest } from '../providers/persona/persona.signer.js';
export {
  stripeIdentityFixture,
  type StripeIdentityFixture,
  type StripeVerificationSessionFixture,
} from '../providers/stripe-identity/stripe-identity.fixtures.js';
export {
  signStripeIdentityRequest,
  type SignedStripeIdentityRequest,
} from '../providers/stripe-identity/stripe-identity.signer.js';
export {
  standardWebhookFixture,
  type StandardWebhookFixture,
} from '../providers/standard/standard.fixtures.js';
export {
  signStandardWebhookRequest,
  type SignedStandardRequest,
  type StandardSigningInput,
} from '../providers/standard/standard.signer.js';
export { onfidoFixture, type OnfidoFixture } from '../providers/onfido/onfido.fixtures.js';
export { signOnfidoRequest, type SignedOnfidoRequest } from '../providers/onfido/onfido.signer.js';
export {
  veriffFixture,
  type VeriffDecisionFixture,
  type VeriffEventFixture,
  type VeriffFixture,
} from '../providers/veriff/veriff.fixtures.js';
export { signVeriffRequest, type SignedVeriffRequest } from '../providers/veriff/veriff.signer.js';
export { sumsubFixture, type SumsubFixture } from '../providers/sumsub/sumsub.fixtures.js';
export { signSumsubRequest, type SignedSumsubRequest } from '../providers/sumsub/sumsub.signer.js';
export {
  createFaceWebhooksTestingApp,
  TEST_SECRETS,
  type FaceWebhooksTestingApp,
  type FaceWebhooksTestingOptions,
} from './face-webhooks-testing-app.js';
