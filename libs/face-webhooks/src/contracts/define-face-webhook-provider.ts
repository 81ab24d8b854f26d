import { FaceWebhooksConfigError } from './face-webhooks-config.error.js';
import type {
  FaceWebhookProvider,
  FaceWebhookProviderDefinition,
} from './face-webhook-provider.interface.js';

const DEFINED = Symbol.for('nestjs-face-webhooks.provider-definition');
const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** A provider with its options, for the module's `webhookProviders` option. */
export interface FaceWebhookProviderRegistration {
  /** The provider's definition. */
  readonly definition: FaceWebhookProviderDefinition<string, never, object>;
  /** Its options, checked at startup by the definition's `validateOptions`. */
  readonly options: object;
}

/** A definition made by {@link defineFaceWebhookProvider}. */
export type DefinedFaceWebhookProvider<
  TName extends string = string,
  TOptions extends object = object,
  TData extends object = object,
> = FaceWebhookProviderDefinition<TName, TOptions, TData> & {
  /** This provider with its options: `FaceWebhooksModule.forRoot({ webhookProviders: [acme.configure({ secret })] })`. */
  configure(options: TOptions): FaceWebhookProviderRegistration;
};

/**
 * Defines a webhook provider on the library's public contract: the module then serves
 * `POST /<basePath>/<name>` for it, authenticated, validated, de-duplicated and delivered to
 * `@OnFaceEvent('<name>.<type>')` handlers, like the providers the library ships (which are defined
 * with this same function). Refuses a malformed definition at once, naming what is wrong.
 * `docs/writing-a-provider.md` walks through a complete one (the sample app's liveness vendor).
 *
 * @example
 * ```ts
 * import { createHmac } from 'node:crypto';
 * import { IsString } from 'class-validator';
 * import {
 *   asList,
 *   checkSecrets,
 *   defineFaceWebhookProvider,
 *   FaceWebhooksModule,
 *   SecretSet,
 *   type CommonProviderOptions,
 *   type FaceWebhookProviderInstance,
 * } from 'nestjs-face-webhooks';
 *
 * export interface AcmeOptions extends CommonProviderOptions {
 *   readonly secret?: string | readonly string[];
 * }
 *
 * export class AcmeEventDto {
 *   @IsString() id!: string;
 *   @IsString() type!: string;
 * }
 *
 * const signatureOf = (secret: string, body: Buffer | string): string =>
 *   createHmac('sha256', secret).update(body).digest('hex');
 *
 * export const acme = defineFaceWebhookProvider({
 *   name: 'acme',
 *   title: 'Acme Liveness',
 *   validateOptions: (options: AcmeOptions, required: boolean) =>
 *     checkSecrets('acme.secret', asList(options.secret), 'the Acme dashboard', required),
 *   hasCredentials: (options) => asList(options.secret).length > 0,
 *   create: (options): FaceWebhookProviderInstance<AcmeEventDto> => {
 *     const secrets = asList(options.secret);
 *     return {
 *       dto: AcmeEventDto,
 *       deduplicationTtlMs: options.deduplicationTtlMs ?? 24 * 60 * 60 * 1000,
 *       knownTypes: new Set(['check.passed', 'check.failed']),
 *       authenticate(request) {
 *         const header = request.headers['x-acme-signature'];
 *         if (typeof header !== 'string') return { ok: false, reason: 'no signature', code: 'missing_credentials' };
 *         const expected = new SecretSet(secrets.map((secret) => signatureOf(secret, request.rawBody)));
 *         return expected.matches(header)
 *           ? { ok: true }
 *           : { ok: false, reason: 'no secret matches', code: 'signature_mismatch' };
 *       },
 *       describe: (event) => ({ type: event.type, id: event.id }),
 *     };
 *   },
 *   openApi: {
 *     headers: [{ name: 'X-Acme-Signature', description: 'Hex HMAC-SHA256 of the body' }],
 *     bodySchema: { type: 'object', required: ['id', 'type'] },
 *   },
 *   testing: {
 *     testSecret: 'test-acme-secret',
 *     secretEnv: 'ACME_WEBHOOK_SECRET',
 *     types: ['check.passed', 'check.failed'],
 *     options: (secret) => ({ secret }),
 *     fixture: (type) => ({ id: `evt_${Date.now()}`, type }),
 *     sign: (secret, _url, body) => ({ headers: { 'x-acme-signature': signatureOf(secret, body) }, body }),
 *   },
 * });
 *
 * // Registered beside the built-in providers:
 * export const webhooks = FaceWebhooksModule.forRoot({
 *   webhookProviders: [acme.configure({ secret: process.env.ACME_WEBHOOK_SECRET! })],
 * });
 * ```
 */
export function defineFaceWebhookProvider<
  const TName extends string,
  TOptions extends object,
  TData extends object,
>(
  definition: FaceWebhookProviderDefinition<TName, TOptions, TData>,
): DefinedFaceWebhookProvider<TName, TOptions, TData> {
  const problems: string[] = [];
  const name = String(definition.name);
  if (!NAME.test(name)) {
    problems.push(
      `provider name "${name.slice(0, 40)}" must be 1 to 32 lower case letters, digits and -, starting with a letter`,
    );
  }
  for (const method of ['validateOptions', 'hasCredentials', 'create'] as const) {
    if (typeof definition[method] !== 'function') problems.push(`${name}: ${method} must be a function`);
  }
  const testing = definition.testing as Partial<typeof definition.testing> | undefined;
  if (!testing || typeof testing.sign !== 'function' || typeof testing.fixture !== 'function') {
    problems.push(`${name}: testing needs sign() and fixture() (the testing kit and the CLI use them)`);
  } else if (!Array.isArray(testing.types) || testing.types.length === 0) {
    problems.push(`${name}: testing.types must list at least one type with a fixture`);
  }
  if (problems.length > 0) throw new FaceWebhooksConfigError(problems);
  const defined: DefinedFaceWebhookProvider<TName, TOptions, TData> = {
    ...definition,
    configure: (options) => ({
      definition: defined as unknown as FaceWebhookProviderRegistration['definition'],
      options,
    }),
  };
  Object.defineProperty(defined, DEFINED, { value: true });
  return Object.freeze(defined);
}

/**
 * Any defined provider, whatever its options and body types: what lists of them take (the
 * testing kit's `webhookProviders`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- options are checked per provider
export type AnyDefinedFaceWebhookProvider = DefinedFaceWebhookProvider<string, any, any>;

/** Whether `value` was made by {@link defineFaceWebhookProvider} (how the CLI finds them in a module). */
export function isFaceWebhookProviderDefinition(value: unknown): value is DefinedFaceWebhookProvider {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINED] === true;
}

/** Runs a definition's `create` and gives the provider its name. */
export function createFaceWebhookProvider<TOptions extends object>(
  definition: FaceWebhookProviderDefinition<string, TOptions, object>,
  options: TOptions,
): FaceWebhookProvider {
  const provider = definition.create(options);
  if (provider.name === definition.name) return provider as FaceWebhookProvider;
  if (provider.name !== undefined || !Object.isExtensible(provider)) {
    throw new FaceWebhooksConfigError([
      `${definition.name}: create() must return an object without a name, or with the name "${definition.name}"`,
    ]);
  }
  Object.defineProperty(provider, 'name', { value: definition.name, enumerable: true });
  return provider as FaceWebhookProvider;
}
