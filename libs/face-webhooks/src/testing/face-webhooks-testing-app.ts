import type { DynamicModule, INestApplication, Provider, Type } from '@nestjs/common';
import { FaceWebhooksModule } from '../face-webhooks.module.js';
import type { FaceWebhooksModuleOptions } from '../face-webhooks.options.js';
import { CATALOG, parseEventType, signedDelivery, type ProviderName } from './face-event-catalog.js';

/** The secrets a testing app is configured with; deliveries built by `deliver()` are signed with them. */
export const TEST_SECRETS = {
  faceio: 'test-faceio-token',
  facesign: 'whsec_test_facesign_secret',
  idaas: 'test-idaas-secret',
} as const;

export interface FaceWebhooksTestingOptions {
  /** Your modules and providers: the ones whose handlers you are testing. */
  readonly imports?: (Type<unknown> | DynamicModule)[];
  readonly providers?: Provider[];
  readonly controllers?: Type<unknown>[];
  /** Module options over the defaults (every provider enabled with `TEST_SECRETS`, inline delivery). */
  readonly options?: Partial<FaceWebhooksModuleOptions>;
}

export interface FaceWebhooksTestingApp {
  /** The running Nest application (listening on a free loopback port). */
  readonly app: INestApplication;
  /** Base URL of the webhook routes, e.g. `http://127.0.0.1:41234/webhooks`. */
  readonly webhooksUrl: string;
  /**
   * Sends a realistic, correctly signed delivery of `type` (`'faceio.ENROLL'`), with fields changed
   * by path (`{ facialId: 'f1', 'details.age': '41' }`), and returns the response.
   */
  deliver(
    type: string,
    set?: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown; raw: string }>;
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
  const moduleRef = await Test.createTestingModule({
    imports: [
      FaceWebhooksModule.forRoot({
        ...Object.fromEntries(
          Object.entries(CATALOG).map(([name, entry]) => [
            name,
            entry.options(TEST_SECRETS[name as ProviderName]),
          ]),
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
      const parsed = parseEventType(fullType);
      if (!parsed) throw new Error(`unknown event type "${fullType}"`);
      const url = `${webhooksUrl}/${parsed.provider}`;
      const assignments = Object.entries(set).map(([path, value]) => `${path}=${JSON.stringify(value)}`);
      const signed = signedDelivery(
        parsed.provider,
        parsed.type,
        TEST_SECRETS[parsed.provider],
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
