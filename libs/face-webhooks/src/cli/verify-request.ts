import { HttpException } from '@nestjs/common';
import { buildFaceEvent } from '../pipeline/face-event.factory.js';
import { createFaceWebhookProvider } from '../contracts/define-face-webhook-provider.js';
import type { WebhookRequest } from '../contracts/face-webhook-provider.interface.js';
import type { CatalogProvider } from '../testing/face-event-catalog.js';
import type { CapturedRequest } from './captured-request.js';

export interface VerifyInput {
  readonly provider: CatalogProvider;
  readonly secret: string;
  readonly request: CapturedRequest;
  /** The public URL the request was posted to (IDaaS signs it). Default `https://<Host><target>`. */
  readonly url?: string;
  /** Check the time window as of this Unix time (seconds), for old captures. Default now. */
  readonly atSeconds?: number;
}

/**
 * Checks a captured request with the provider the module would build for this secret, and says
 * every reason it would be refused: authentication (digest, time window, secret, URL), then the body
 * (JSON and DTO validation) and the checks that need it (an event's own age), with the options the provider's `testing.verifyOptions` gives (IDaaS
 * accepts its legacy header here).
 */
export function verifyCapturedRequest(input: VerifyInput): string[] {
  const { request } = input;
  const url = new URL(input.url ?? `https://${request.headers.host ?? 'localhost'}${request.target}`);
  const webhookRequest: WebhookRequest = {
    method: request.method,
    url: url.pathname + url.search,
    headers: { ...request.headers, host: url.host },
    secure: url.protocol === 'https:',
    rawBody: request.body,
  };
  const { testing } = input.provider;
  const options = testing.verifyOptions?.(input.secret) ?? testing.options(input.secret);
  const provider = createFaceWebhookProvider(input.provider, options);

  const auth = atTime(input.atSeconds, () => provider.authenticate(webhookRequest));
  const problems = auth.ok ? [] : [`authentication: ${auth.reason}`];
  try {
    const event = buildFaceEvent(provider, request.body, new Date());
    // The checks that need the body (an event's own time for the senders that sign none), as the
    // module runs them after authentication.
    if (auth.ok && provider.authorize) {
      const authorized = atTime(input.atSeconds, () => provider.authorize!(event.data as object, auth));
      if (!authorized.ok) problems.push(`authentication: ${authorized.reason}`);
    }
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

/** Runs `check` (synchronous) with the clock at `seconds`, so an old capture is judged as of then. */
function atTime<T>(seconds: number | undefined, check: () => T): T {
  if (seconds === undefined) return check();
  const realNow = Date.now;
  Date.now = () => seconds * 1000;
  try {
    return check();
  } finally {
    Date.now = realNow;
  }
}
