import type { IncomingHttpHeaders } from 'node:http';
import type { FaceWebhookRefusalReason } from './refusal-reason.js';

/** What a provider sees of an HTTP delivery: enough to authenticate it, nothing framework-specific. */
export interface WebhookRequest {
  readonly method: string;
  /** The path and query the server received, e.g. `/api/webhooks/idaas?x=1`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Whether the connection to this process is TLS (not what a proxy in front of it saw). */
  readonly secure: boolean;
  /** The exact bytes of the body. */
  readonly rawBody: Buffer;
}

/** What a provider derives from a validated body. */
export interface WebhookEventDescription {
  /** The provider's own type, without the provider prefix: `'ENROLL'`, `'media.user_photo'`. */
  readonly type: string;
  /** The de-duplication key, unique per event for this provider. */
  readonly id: string;
  /** When the provider says the event happened, if it says. */
  readonly occurredAt?: Date;
}

/** A delivery that authenticated. */
export interface WebhookAuthSuccess {
  readonly ok: true;
  /**
   * Epoch ms after which this exact request no longer authenticates (its signed time leaves the
   * provider's window). The delivery's de-duplication record is kept at least until then, so a
   * replay is always either refused as stale or recognised as a duplicate. Absent when the request
   * carries no time the provider checks.
   */
  readonly freshUntilMs?: number;
}

/** A delivery that did not authenticate. `reason` is logged, never sent to the client. */
export interface WebhookAuthFailure {
  readonly ok: false;
  readonly reason: string;
  /** The short stable code of spans, metrics and the delivery log. */
  readonly code: FaceWebhookRefusalReason;
}

/** Result of authenticating a delivery. */
export type WebhookAuthResult = WebhookAuthSuccess | WebhookAuthFailure;

/**
 * One webhook provider: everything the core needs to receive its deliveries. A provider is a
 * folder under `providers/` that exports a {@link FaceWebhookProviderDefinition}; nothing in
 * `core/` names one.
 */
export interface FaceWebhookProvider<TData extends object = object> {
  /** Route segment and event-type prefix: `'faceio'` serves `POST /<basePath>/faceio`. */
  readonly name: string;
  /** The class-validator DTO the body must satisfy. */
  readonly dto: new () => TData;
  /** A narrower DTO for some bodies (by their type), when one class does not fit all. */
  selectDto?(body: Record<string, unknown>): new () => TData;
  /** How long a handled event id is remembered, in milliseconds. */
  readonly deduplicationTtlMs: number;
  /** Checks the delivery's credentials over the raw request. Must be constant-time and fail closed. */
  authenticate(request: WebhookRequest): WebhookAuthResult;
  /**
   * Checks that need the validated body (FACEIO's optional app id; IDaaS's event age when the
   * signature has no time). Given what `authenticate` found; a `freshUntilMs` it returns replaces
   * that one. Absent means accept.
   */
  authorize?(data: TData, authenticated: WebhookAuthSuccess): WebhookAuthResult;
  /** Type, id and time of a validated delivery. */
  describe(data: TData, rawBody: Buffer): WebhookEventDescription;
  /** The provider's own types the library knows; others are logged and reach wildcard handlers only. */
  readonly knownTypes: ReadonlySet<string>;
}

/** What the OpenAPI document says about a provider's route (used when @nestjs/swagger is installed). */
export interface FaceWebhookOpenApi {
  /** The headers that carry its credentials. */
  readonly headers: readonly { readonly name: string; readonly description: string }[];
  /** JSON Schema of its body. */
  readonly bodySchema: Record<string, unknown>;
}

/** How the module turns a provider's slice of the options into a provider, or refuses to start. */
export interface FaceWebhookProviderDefinition<TOptions> {
  readonly name: string;
  readonly openApi: FaceWebhookOpenApi;
  /**
   * Returns the problems in the options, each naming the setting (`faceio.token is required`).
   * `credentialsRequired: false` when the provider has tenants, whose settings carry the secrets.
   */
  validateOptions(options: TOptions, credentialsRequired: boolean): string[];
  /** Whether the options carry credentials of their own: then the route without a tenant is served. */
  hasCredentials(options: TOptions): boolean;
  /** The settings a tenant's lookup may return; the rest come from the provider's options. */
  readonly tenantSettings: readonly (keyof TOptions & string)[];
  /** Settings a tenant never takes from the provider's options (its secrets): only its own, if any. */
  readonly tenantOnlySettings: readonly (keyof TOptions & string)[];
  create(options: TOptions): FaceWebhookProvider;
}
