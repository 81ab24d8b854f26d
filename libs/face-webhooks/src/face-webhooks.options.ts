import bytes from 'bytes';
import { FaceWebhooksConfigError } from './core/face-webhooks-config.error.js';
import type { FaceWebhooksSettings } from './core/face-webhooks.tokens.js';
import type {
  FaceWebhookProvider,
  FaceWebhookProviderDefinition,
} from './core/webhook-provider.interface.js';
import { faceioProviderDefinition } from './providers/faceio/faceio.provider.js';
import type { FaceioWebhookOptions } from './providers/faceio/faceio.options.js';
import { faceSignProviderDefinition } from './providers/facesign/facesign.provider.js';
import type { FaceSignWebhookOptions } from './providers/facesign/facesign.options.js';
import { idaasProviderDefinition } from './providers/idaas/idaas.provider.js';
import type { IdaasWebhookOptions } from './providers/idaas/idaas.options.js';

/** Options of `FaceWebhooksModule.forRoot()` / the factory of `forRootAsync()`. */
export interface FaceWebhooksModuleOptions {
  /** FACEIO: serves `POST /<basePath>/faceio`. Omit to disable. */
  readonly faceio?: FaceioWebhookOptions;
  /** FaceSign: serves `POST /<basePath>/facesign`. Omit to disable. */
  readonly facesign?: FaceSignWebhookOptions;
  /** Entrust IDaaS: serves `POST /<basePath>/idaas`. Omit to disable. */
  readonly idaas?: IdaasWebhookOptions;
  /** Largest accepted body: bytes, or a string like `'256kb'`. Larger gets 413. Default `'256kb'`. */
  readonly bodyLimit?: number | string;
  /** The default in-memory de-duplication store keeps at most this many events. Default 100 000. */
  readonly deduplicationMaxEntries?: number;
}

/** Options given to `forRoot()` and `forRootAsync()` directly, because routes are built from them. */
export interface FaceWebhooksModuleExtras {
  /** Path under which the provider routes are mounted (after any global prefix). Default `'webhooks'`. */
  readonly basePath?: string;
}

export const DEFAULT_BASE_PATH = 'webhooks';
export const DEFAULT_BODY_LIMIT = '256kb';
export const DEFAULT_DEDUPLICATION_MAX_ENTRIES = 100_000;

/** Every provider the library ships, keyed by its options key. A new provider adds one line. */
const PROVIDER_DEFINITIONS: {
  [K in 'faceio' | 'facesign' | 'idaas']: FaceWebhookProviderDefinition<
    NonNullable<FaceWebhooksModuleOptions[K]>
  >;
} = {
  faceio: faceioProviderDefinition,
  facesign: faceSignProviderDefinition,
  idaas: idaasProviderDefinition,
};

export interface ResolvedFaceWebhooksOptions {
  readonly settings: FaceWebhooksSettings;
  readonly providers: FaceWebhookProvider[];
  readonly deduplicationMaxEntries: number;
}

/** Checks the options once, at bootstrap; every problem is reported together, each naming its setting. */
export function resolveFaceWebhooksOptions(
  options: FaceWebhooksModuleOptions,
  basePath: string,
): ResolvedFaceWebhooksOptions {
  const problems: string[] = [];
  const providers: FaceWebhookProvider[] = [];
  for (const [key, definition] of Object.entries(PROVIDER_DEFINITIONS)) {
    const providerOptions = options[key as keyof typeof PROVIDER_DEFINITIONS];
    if (providerOptions === undefined || providerOptions.enabled === false) continue;
    const found = (definition as FaceWebhookProviderDefinition<typeof providerOptions>).validateOptions(
      providerOptions,
    );
    problems.push(...found);
    if (found.length === 0) {
      providers.push(
        (definition as FaceWebhookProviderDefinition<typeof providerOptions>).create(providerOptions),
      );
    }
  }
  if (providers.length === 0 && problems.length === 0) {
    problems.push(`no provider is enabled: set one of ${Object.keys(PROVIDER_DEFINITIONS).join(', ')}`);
  }
  const bodyLimitBytes = parseBodyLimit(options.bodyLimit ?? DEFAULT_BODY_LIMIT);
  if (bodyLimitBytes === undefined)
    problems.push('bodyLimit must be a positive number of bytes or a size like "256kb"');
  const maxEntries = options.deduplicationMaxEntries ?? DEFAULT_DEDUPLICATION_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    problems.push('deduplicationMaxEntries must be a positive integer');
  if (problems.length > 0) throw new FaceWebhooksConfigError(problems);
  return {
    settings: { basePath, bodyLimitBytes: bodyLimitBytes! },
    providers,
    deduplicationMaxEntries: maxEntries,
  };
}

function parseBodyLimit(limit: number | string): number | undefined {
  const value = typeof limit === 'number' ? limit : bytes.parse(limit);
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** `'/webhooks/'` -> `'webhooks'`; refuses characters that have a meaning in Nest route paths. */
export function normalizeBasePath(basePath: string | undefined): string {
  const path = (basePath ?? DEFAULT_BASE_PATH).replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9._~/-]*$/.test(path) || path.includes('//')) {
    throw new FaceWebhooksConfigError([
      `basePath "${basePath}" may hold only letters, digits, . _ ~ - and /`,
    ]);
  }
  return path;
}
