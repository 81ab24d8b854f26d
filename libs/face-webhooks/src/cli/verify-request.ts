import { HttpException } from '@nestjs/common';
import { SecretSet } from '../core/constant-time.js';
import { buildFaceEvent } from '../core/events/face-event.factory.js';
import type { WebhookRequest } from '../core/webhook-provider.interface.js';
import { authenticateFaceioBearer } from '../providers/faceio/faceio-bearer.authenticator.js';
import { faceioProviderDefinition } from '../providers/faceio/faceio.provider.js';
import { verifyFaceSignRequest } from '../providers/facesign/facesign-signature.js';
import { faceSignProviderDefinition } from '../providers/facesign/facesign.provider.js';
import { authenticateIdaas } from '../providers/idaas/idaas.authenticator.js';
import { idaasProviderDefinition } from '../providers/idaas/idaas.provider.js';
import type { CapturedRequest } from './captured-request.js';
import type { ProviderName } from '../testing/face-event-catalog.js';

export interface VerifyInput {
  readonly provider: ProviderName;
  readonly secret: string;
  readonly request: CapturedRequest;
  /** The public URL the request was posted to (IDaaS signs it). Default `https://<Host><target>`. */
  readonly url?: string;
  /** Check the time window as of this Unix time (seconds), for old captures. Default now. */
  readonly atSeconds?: number;
}

/**
 * Checks a captured request the way the module would, and says every reason it would be refused:
 * authentication (digest, time window, secret, URL) and then the body (JSON and DTO validation).
 */
export function verifyCapturedRequest(input: VerifyInput): string[] {
  const { request, provider } = input;
  const url = new URL(input.url ?? `https://${request.headers.host ?? 'localhost'}${request.target}`);
  const headers = { ...request.headers, host: url.host };
  const webhookRequest: WebhookRequest = {
    method: request.method,
    url: url.pathname + url.search,
    headers,
    secure: url.protocol === 'https:',
    rawBody: request.body,
  };
  const tolerance = { toleranceSeconds: 300, nowSeconds: input.atSeconds };
  const auth =
    provider === 'faceio'
      ? authenticateFaceioBearer(headers, new SecretSet([input.secret]))
      : provider === 'facesign'
        ? verifyFaceSignRequest(headers, request.body, {
            secrets: [input.secret],
            allowUnsigned: false,
            ...tolerance,
          })
        : authenticateIdaas(webhookRequest, {
            secrets: [input.secret],
            acceptLegacySignature: true,
            ...tolerance,
          });
  const problems = auth.ok ? [] : [`authentication: ${auth.reason}`];

  const definitions = {
    faceio: faceioProviderDefinition,
    facesign: faceSignProviderDefinition,
    idaas: idaasProviderDefinition,
  };
  const options = {
    faceio: { token: input.secret },
    facesign: { secret: input.secret },
    idaas: { secret: input.secret },
  }[provider];
  try {
    buildFaceEvent(
      (definitions[provider] as typeof faceioProviderDefinition).create(options as never),
      request.body,
      new Date(),
    );
  } catch (error) {
    const response =
      error instanceof HttpException ? (error.getResponse() as { message?: unknown }) : undefined;
    const messages = response?.message ?? (error as Error).message;
    problems.push(
      ...(Array.isArray(messages) ? messages : [messages]).map((message) => `body: ${String(message)}`),
    );
  }
  return problems;
}
