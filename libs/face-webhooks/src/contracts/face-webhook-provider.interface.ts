import type { Provider } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { FaceWebhookRefusalReason } from './refusal-reason.js';

/** What a provider sees of an HTTP delivery: enough to authenticate it, nothing framework-specific. */
export interface WebhookRequest {
  /** The HTTP method, upper case: `POST`. */
  readonly method: string;
  /** The path and query the server received, e.g. `/api/webhooks/idaas?x=1`. */
  readonly url: string;
  /** The request headers, names lower case (Node's `IncomingHttpHeaders`). */
  readonly headers: IncomingHttpHeaders;
  /** Whether the connection to this process is TLS (not what a proxy in front of it saw). */
  readonly secure: boolean;
  /** The address of the connection's other end (a proxy in front of the app, if there is one). */
  readonly remoteAddress?: string;
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
  /** `true`: the delivery authenticated. */
  readonly ok: true;
  /**
   * Epoch ms after which this exact request no longer authenticates (its signed time leaves the
   * provider's window). The delivery's de-duplication record is kept at least until then, so a
   * replay is always either refused as stale or recognised as a duplicate. Absent when the request
   * carries no time the provider checks.
   */
  readonly freshUntilMs?: number;
  /**
   * The event's id when the sender puts it in the signed headers rather than the body (Standard
   * Webhooks' `webhook-id`): it replaces the id `describe` gives. The library keeps it with the
   * stored event, so a queued job and a console replay have it too.
   */
  readonly eventId?: string;
}

/** A delivery that did not authenticate. `reason` is logged, never sent to the client. */
export interface WebhookAuthFailure {
  /** `false`: the delivery did not authenticate. */
  readonly ok: false;
  /** Why, in words, for the log: `bearer token does not match`, ... */
  readonly reason: string;
  /** The short stable code of spans, metrics and the delivery log. */
  readonly code: FaceWebhookRefusalReason;
}

/** Result of authenticating a delivery. */
export type WebhookAuthResult = WebhookAuthSuccess | WebhookAuthFailure;

/**
 * A provider configured with its options: what receives its deliveries. Made by
 * {@link FaceWebhookProviderDefinition.create}; the pipeline calls it for every delivery, in this
 * order: `authenticate` (raw request), the body parsed as JSON and validated against `dto` (or
 * `selectDto`), `authorize` (validated body), `describe`.
 */
export interface FaceWebhookProvider<TData extends object = object> {
  /** The definition's name (filled in by the library when `create` leaves it out). */
  readonly name: string;
  /** The class-validator DTO the body must satisfy. */
  readonly dto: new () => TData;
  /** A narrower DTO for some bodies (by their type), when one class does not fit all. */
  selectDto?(body: Record<string, unknown>): new () => TData;
  /** How long a handled event id is remembered, in milliseconds: longer than the sender's retries. */
  readonly deduplicationTtlMs: number;
  /**
   * Checks the delivery's credentials over the raw request. Must compare in constant time
   * (`SecretSet`, `bytesEqual`), fail closed (anything unexpected is a failure), and, when the
   * request carries a signed time, return `freshUntilMs` so a replay is refused or recognised.
   */
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

/** What `create` returns: a {@link FaceWebhookProvider}, its name optional. */
export type FaceWebhookProviderInstance<TData extends object = object> = Omit<
  FaceWebhookProvider<TData>,
  'name'
> & {
  /** The definition's name; the library fills it in when `create` leaves it out. */
  readonly name?: string;
};

/** What the OpenAPI document says about a provider's route (used when @nestjs/swagger is installed). */
export interface FaceWebhookOpenApi {
  /** The headers that carry its credentials. */
  readonly headers: readonly {
    /** The header's name, `X-Acme-Signature`. */
    readonly name: string;
    /** What it carries, for the reader of the OpenAPI document. */
    readonly description: string;
  }[];
  /** JSON Schema of its body. */
  readonly bodySchema: Record<string, unknown>;
}

/** A request as the provider would send it: headers and the exact body. */
export interface SignedWebhookRequest {
  /** Lower-case header names and values to send. */
  readonly headers: Record<string, string>;
  /** The exact body the signature covers: send these bytes unchanged. */
  readonly body: string;
}

/**
 * How tests, `createFaceWebhooksTestingApp()` and the `face-webhooks` CLI build and sign a
 * realistic delivery of the provider.
 */
export interface FaceWebhookProviderTesting<TOptions> {
  /** The secret the testing app configures and `deliver()` signs with. */
  readonly testSecret: string;
  /** The environment variable the CLI reads the secret from, e.g. `'ACME_WEBHOOK_SECRET'`. */
  readonly secretEnv: string;
  /** The CLI flag that gives the secret. Default `'--secret'`. */
  readonly secretFlag?: '--secret' | '--token';
  /** The types (without the provider prefix) there is a fixture for: what the CLI lists and sends. */
  readonly types: readonly string[];
  /** The provider's options for one secret. */
  options(secret: string): TOptions;
  /** Options for the CLI's `verify` of a captured request, when they differ from `options`. */
  verifyOptions?(secret: string): TOptions;
  /**
   * For the CLI's `verify`: `authenticate` without checking the body against a digest header that
   * the signature covers (IDaaS's `Content-Digest`), so a request whose body changed is still told
   * whether its signature, secret and time hold. Only for senders that sign such a header.
   */
  authenticateHeaders?(request: WebhookRequest, options: TOptions): WebhookAuthResult;
  /** A realistic body of `type`, a fresh object on each call. */
  fixture(type: string): Record<string, unknown>;
  /** Signs `body` as the provider would for a delivery to `url`, now. */
  sign(secret: string, url: string, body: string): SignedWebhookRequest;
}

/**
 * Everything the library needs to receive one provider's webhooks. Write one with
 * {@link defineFaceWebhookProvider}; the module serves `POST /<basePath>/<name>` for it, and the
 * testing kit, the CLI and the OpenAPI document take it from there.
 */
export interface FaceWebhookProviderDefinition<
  TName extends string = string,
  TOptions extends object = object,
  TData extends object = object,
> {
  /**
   * Route segment, event-type prefix and options key: `'acme'` serves `POST /webhooks/acme`, and
   * its events are `'acme.<type>'`. Lower case letters, digits and `-`, starting with a letter.
   */
  readonly name: TName;
  /** How people call the sender, for the CLI and the OpenAPI document: `'Acme Liveness'`. */
  readonly title: string;
  /** What the OpenAPI document says about its route: the credential headers and the body's schema. */
  readonly openApi: FaceWebhookOpenApi;
  /**
   * Returns the problems in the options, each naming the setting (`faceio.token is required`).
   * `credentialsRequired: false` when the provider has tenants, whose settings carry the secrets.
   * The settings every provider has (`enabled`, `delivery`, `deduplicationTtlMs`, `tenants`) are
   * checked by the library.
   */
  validateOptions(options: TOptions, credentialsRequired: boolean): string[];
  /** Whether the options carry credentials of their own: then the route without a tenant is served. */
  hasCredentials(options: NoInfer<TOptions>): boolean;
  /** The settings a tenant's lookup may return; the rest come from the provider's options. Default none. */
  readonly tenantSettings?: readonly (keyof NoInfer<TOptions> & string)[];
  /** Settings a tenant never takes from the provider's options (its secrets): only its own, if any. */
  readonly tenantOnlySettings?: readonly (keyof NoInfer<TOptions> & string)[];
  /**
   * Secrets that do not say which tenant a delivery is for (the signature covers no URL): no two
   * tenants may share one, nor a tenant and the provider's options, or each could be sent the
   * other's deliveries. A tenant whose lookup returns one already in use (by the provider's options
   * or a tenant cached then) is refused like settings that do not check. Default none.
   */
  readonly distinctTenantSecrets?: readonly (keyof NoInfer<TOptions> & string)[];
  /** The provider for checked options. Called at startup, and once per tenant with its settings. */
  create(options: NoInfer<TOptions>): FaceWebhookProviderInstance<TData>;
  /** How the testing kit and the CLI build and sign a realistic delivery. */
  readonly testing: FaceWebhookProviderTesting<NoInfer<TOptions>>;
  /**
   * Nest providers the module adds and exports, such as a service handlers inject (FaceSign's
   * media downloader); they may inject `FACE_WEBHOOKS_MODULE_OPTIONS`. Used for the providers the
   * library ships, whose list is known when the module is built; an app's own provider registers
   * its services in the app's own modules.
   */
  readonly moduleProviders?: readonly Provider[];
}
