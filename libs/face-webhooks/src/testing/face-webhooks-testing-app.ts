import type { DynamicModule, INestApplication, Provider, Type } from '@nestjs/common';
import { FaceWebhooksModule } from '../face-webhooks.module.js';
import type { FaceWebhooksModuleOptions } from '../face-webhooks.options.js';
import type { AnyDefinedFaceWebhookProvider } from '../contracts/define-face-webhook-provider.js';
import type { FaceEventType } from '../contracts/face-event-map.js';
import { BUILT_IN_PROVIDERS } from '../providers/built-in-providers.js';
import {
  parseEventType,
  providerCatalog,
  signedDelivery,
  type CatalogProvider,
} from './face-event-catalog.js';

type BuiltInName = (typeof BUILT_IN_PROVIDERS)[number]['name'];

/**
 * The secrets a testing app configures the built-in providers with (each definition's
 * `testing.testSecret`); deliveries built by `deliver()` are signed with them.
 */
export const TEST_SECRETS = Object.freeze(
  Object.fromEntries(
    BUILT_IN_PROVIDERS.map((definition) => [definition.name, definition.testing.testSecret]),
  ),
) as Readonly<Record<BuiltInName, string>>;

/** What {@link createFaceWebhooksTestingApp} puts in the app besides `FaceWebhooksModule`. */
export interface FaceWebhooksTestingOptions {
  /** Your modules and providers: the ones whose handlers you are testing. */
  readonly imports?: (Type<unknown> | DynamicModule)[];
  /** Providers of your own to add to the app, such as the services whose `@OnFaceEvent` handlers you test. */
  readonly providers?: Provider[];
  /** Controllers of your own to add to the app (a route with `@FaceWebhookRoute()`, say). */
  readonly controllers?: Type<unknown>[];
  /**
   * Providers of your own (`defineFaceWebhookProvider()`), enabled with their `testing.options()`
   * for their `testing.testSecret`; `deliver()` builds and signs their events too.
   */
  readonly webhookProviders?: readonly AnyDefinedFaceWebhookProvider[];
  /** Module options over the defaults (every provider enabled with its test secret, inline delivery). */
  readonly options?: Partial<FaceWebhooksModuleOptions>;
}

/**
 * The running test app {@link createFaceWebhooksTestingApp} returns: the Nest app, its webhook URL,
 * `deliver()` to send signed deliveries, and `close()`.
 */
export interface FaceWebhooksTestingApp {
  /** The running Nest application (listening on a free loopback port). */
  readonly app: INestApplication;
  /** Base URL of the webhook routes, e.g. `http://127.0.0.1:41234/webhooks`. */
  readonly webhooksUrl: string;
  /**
   * Sends a realistic, correctly signed delivery of `type` to the app, as its provider sends it, and
   * returns the response.
   *
   * `type` is a known event type, the same ones `@OnFaceEvent` accepts: those of the built-in
   * providers (`'faceio.ENROLL'`, `'idaas.face.biometric.created'`) and those your app adds to
   * `FaceEventMap` for its `webhookProviders` or its Standard Webhooks `events`. A misspelt type
   * (`'faceio.ENROL'`) does not compile. A type the map knows but whose provider has no sample body
   * for it (a Standard Webhooks type other than `contact.created` and `invoice.paid`) is rejected
   * when called.
   *
   * @param type - The event type to send, e.g. `'faceio.ENROLL'`.
   * @param set - Fields of the sample body to change, by dotted path, before signing:
   *   `{ facialId: 'f1', 'details.age': '41' }`.
   * @returns The HTTP status, the body parsed as JSON when it is JSON, and the raw body.
   */
  deliver(
    type: FaceEventType,
    set?: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown; raw: string }>;
  /** Closes the app (and its HTTP server). Call it after each test file. */
  close(): Promise<void>;
}

/**
 * A Nest app with `FaceWebhooksModule` configured for tests, serving real HTTP, so a handler test
 * is a few lines:
 *
 * ```ts
 * const testing = await createFaceWebhooksTestingApp({ providers: [EnrollmentsService] });
 * await testing.deliver('faceio.ENROLL', { facialId: 'f1' });
 * expect(testing.app.get(EnrollmentsService).find('f1')).toBeDefined();
 * await testing.close();
 * ```
 *
 * Needs `@nestjs/testing` (a dev dependency of most Nest projects).
 */
export async function createFaceWebhooksTestingApp(
  options: FaceWebhooksTestingOptions = {},
): Promise<FaceWebhooksTestingApp> {
  const { Test } = await import('@nestjs/testing');
  const own = options.webhookProviders ?? [];
  const catalog = providerCatalog(own as readonly CatalogProvider[]);
  const moduleRef = await Test.createTestingModule({
    imports: [
      FaceWebhooksModule.forRoot({
        ...Object.fromEntries(
          BUILT_IN_PROVIDERS.map((definition) => [
            definition.name,
            definition.testing.options(definition.testing.testSecret),
          ]),
        ),
        webhookProviders: own.map((definition) =>
          definition.configure(definition.testing.options(definition.testing.testSecret)),
        ),
        ...options.options,
      }),
      ...(options.imports ?? []),
    ],
    providers: options.providers ?? [],
    controllers: options.controllers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const webhooksUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/webhooks`;

  return {
    app,
    webhooksUrl,
    async deliver(fullType, set = {}) {
      const parsed = parseEventType(fullType, catalog);
      if (!parsed) throw new Error(`unknown event type "${fullType}"`);
      const url = `${webhooksUrl}/${parsed.provider.name}`;
      const assignments = Object.entries(set).map(([path, value]) => `${path}=${JSON.stringify(value)}`);
      const signed = signedDelivery(
        parsed.provider,
        parsed.type,
        parsed.provider.testing.testSecret,
        url,
        assignments,
      );
      const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
      const raw = await response.text();
      let parsedBody: unknown = raw;
      try {
        parsedBody = JSON.parse(raw);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsedBody, raw };
    },
    close: () => app.close(),
  };
}
