import {
  AtRestCipher,
  atRestEncryptionProblems,
  type AtRestEncryptionOptions,
} from './contracts/at-rest-encryption.js';
import bytes from 'bytes';
import {
  checkConsoleOptions,
  type FaceWebhooksConsoleOptions,
} from './console/face-webhooks-console.options.js';
import { FaceWebhooksConfigError } from './contracts/face-webhooks-config.error.js';
import type { FaceDeliveryMode, FaceWebhooksSettings } from './contracts/face-webhooks.tokens.js';
import type { CommonProviderOptions } from './contracts/provider-options.interface.js';
import { checkDurationMs } from './contracts/provider-options.checks.js';
import { SourceAllowList, withSourceAllowList, type TrustedProxy } from './contracts/source-allow-list.js';
import type { FaceEventQueueSettings } from './queue/face-event-queue.settings.js';
import {
  checkRedisConnection,
  hashTagged,
  isClusterConnection,
  type FaceWebhooksRedisConnection,
} from './redis/redis-connection.js';
import type {
  FaceWebhookProvider,
  FaceWebhookProviderDefinition,
} from './contracts/face-webhook-provider.interface.js';
import {
  createFaceWebhookProvider,
  isFaceWebhookProviderDefinition,
  type FaceWebhookProviderRegistration,
} from './contracts/define-face-webhook-provider.js';
import { FaceWebhookIdempotencyStore } from './pipeline/deduplication/idempotency-store.js';
import { BUILT_IN_PROVIDERS } from './providers/built-in-providers.js';
import {
  checkTenantsOptions,
  TENANT_DEFAULTS,
  type FaceWebhookTenantsOptions,
} from './contracts/face-webhook-tenants.options.js';
import { withoutTenantOnlySettings, type TenantSource } from './tenants/tenant-source.js';

type BuiltInProvider = (typeof BUILT_IN_PROVIDERS)[number];
type OptionsOf<D> = D extends { validateOptions(options: infer O, ...rest: never[]): unknown } ? O : never;

/**
 * One key per provider the library ships, named after it, holding its options: `faceio`
 * (`FaceioWebhookOptions`), `facesign` (`FaceSignWebhookOptions`), `idaas` (`IdaasWebhookOptions`).
 * A provider is enabled by its key (unless `enabled: false`) and serves `POST /<basePath>/<name>`.
 */
export type BuiltInProvidersOptions = {
  readonly [D in BuiltInProvider as D['name']]?: OptionsOf<D>;
};

/** Options of `FaceWebhooksModule.forRoot()` / the factory of `forRootAsync()`. */
export interface FaceWebhooksModuleOptions extends BuiltInProvidersOptions {
  /**
   * Providers of your own, defined with `defineFaceWebhookProvider()`, each with its options:
   * `[acmeLiveness.configure({ secret })]`. Each serves `POST /<basePath>/<its name>`.
   */
  readonly webhookProviders?: readonly FaceWebhookProviderRegistration[];
  /** Largest accepted body: bytes, or a string like `'256kb'`. Larger gets 413. Default `'256kb'`. */
  readonly bodyLimit?: number | string;
  /**
   * A sender that has not sent the whole body after this many ms gets 408 and is disconnected (up
   * to a quarter of it, or one second, later: the deadlines are checked together). Default 10 000.
   */
  readonly bodyTimeoutMs?: number;
  /**
   * Redis, for `deduplicationStore: 'redis'`, the queue and the console's log: a `redis://` URL,
   * ioredis options, or `{ cluster: [{ host, port }, ...], redisOptions }` for a Redis Cluster.
   */
  readonly redis?: FaceWebhooksRedisConnection;
  /** Prefix of every Redis key the module writes. Default `'face-webhooks:'`. */
  readonly redisKeyPrefix?: string;
  /**
   * Encrypts the bodies the library stores in Redis (queued jobs, failed events kept for replay)
   * with AES-256-GCM under keys the app supplies: `{ keys: { '2026-12': <32 bytes> },
   * currentKeyId: '2026-12' }`. Each stored value names its key id, so keys rotate. Default off:
   * bodies are stored as sent (base64).
   */
  readonly encryptAtRest?: AtRestEncryptionOptions;
  /**
   * Where handled events are remembered: `'memory'` (one instance), `'redis'` (shared by every
   * instance, on `redis`), or a store of your own: a `FaceWebhookIdempotencyStore` instance
   * (say `new MemoryIdempotencyStore(10_000)`, or one on your database). Default `'memory'`.
   */
  readonly deduplicationStore?: 'memory' | 'redis' | FaceWebhookIdempotencyStore;
  /** The memory store keeps at most this many events. Default 100 000. */
  readonly deduplicationMaxEntries?: number;
  /**
   * With a store without leases (the memory store, or one of your own that does not implement
   * them): how long a copy being handled blocks other copies, in ms: the longest a handler may take
   * before another copy may start, and how long a crashed instance's claim lasts. Default 120 000.
   */
  readonly deduplicationInFlightTtlMs?: number;
  /**
   * With the Redis store: an instance handling an event holds a lease on it, renewed every quarter
   * of this while its handlers run and until their outcome is written. An instance that stops
   * renewing (it died, or lost Redis) is given this long again once Redis is reachable; then
   * another copy may run the handlers that were not recorded as finished. Default 10 000.
   */
  readonly deduplicationLeaseMs?: number;
  /** Default delivery mode of every provider. Default `'queued'` when the queue is on, else `'inline'`. */
  readonly delivery?: FaceDeliveryMode;
  /** Queued delivery: retries and worker tuning (the queue itself is switched on by the `queue` extra). */
  readonly worker?: {
    /** Handler runs per event before it goes to the failed set. Default 5. */
    readonly attempts?: number;
    /** First retry delay in ms, doubling each time. Default 1 000. */
    readonly backoffDelayMs?: number;
    /** Events a worker handles at once. Default 5. */
    readonly concurrency?: number;
    /** A dead worker's job is taken over after this, in ms. Default 30 000. */
    readonly lockDurationMs?: number;
    /** How often workers look for such jobs, in ms. Default 30 000. */
    readonly stalledIntervalMs?: number;
  };
  /** On shutdown, how long to wait for deliveries in flight, in ms. Default 10 000. */
  readonly shutdownTimeoutMs?: number;
  /**
   * Behind a reverse proxy of your own, the header it writes the client's address to
   * (`'x-forwarded-for'`): `allowedSourceIps` is then checked against the address your proxy
   * appended, not the connection's (which is the proxy's). Only the address your own proxy appended
   * is trusted: see `trustedProxyHops`. Default: none, the connection's address is used.
   */
  readonly trustedProxyHeader?: string;
  /**
   * How many proxies of your own append to `trustedProxyHeader`: the client is the address this many
   * places from the right. Addresses further left were written by the client and are ignored.
   * Default 1 (one proxy: the rightmost address).
   */
  readonly trustedProxyHops?: number;
}

/** Options given to `forRoot()` and `forRootAsync()` directly, because they decide what the module contains. */
export interface FaceWebhooksModuleExtras {
  /** Path under which the provider routes are mounted (after any global prefix). Default `'webhooks'`. */
  readonly basePath?: string;
  /** `false` serves no webhook route: a worker-only process. Default `true`. */
  readonly routes?: boolean;
  /**
   * Queued delivery on BullMQ (needs `redis`, and the `bullmq`, `@nestjs/bullmq` and `ioredis`
   * packages). `{ workers: false }` queues without running handlers in this process. Default off.
   */
  readonly queue?:
    | boolean
    | {
        /** `false`: this process queues events but runs no worker (a web-only instance). Default `true`. */
        readonly workers?: boolean;
      };
  /**
   * The delivery console, a page at `console.path` showing recent deliveries, refusals and failed
   * events with Replay. Off by default; refuses to start without `guard` or `canAccess`.
   */
  readonly console?: FaceWebhooksConsoleOptions;
}

/** The extras, checked and with defaults. */
export interface ResolvedFaceWebhooksExtras {
  readonly basePath: string;
  readonly routes: boolean;
  readonly queue?: { readonly workers: boolean };
  readonly console?: FaceWebhooksConsoleOptions;
}

export const DEFAULT_BASE_PATH = 'webhooks';
export const DEFAULT_BODY_LIMIT = '256kb';

/** Prefix of every Redis key the module writes, unless `redisKeyPrefix` says otherwise. */
export const DEFAULT_REDIS_KEY_PREFIX = 'face-webhooks:';

type AnyDefinition = FaceWebhookProviderDefinition<string, object, object>;

export interface ResolvedFaceWebhooksOptions {
  readonly settings: FaceWebhooksSettings;
  /** The enabled providers' definitions, built-in ones first. */
  readonly definitions: AnyDefinition[];
  readonly providers: FaceWebhookProvider[];
  readonly tenantSources: TenantSource[];
  readonly deduplication:
    | { readonly store: 'memory'; readonly maxEntries: number }
    | { readonly store: 'custom'; readonly instance: FaceWebhookIdempotencyStore }
    | {
        readonly store: 'redis';
        readonly redis: FaceWebhooksRedisConnection;
        readonly keyPrefix: string;
      };
  /** The module's Redis, when it has one. */
  readonly redis?: FaceWebhooksRedisConnection;
  readonly redisKeyPrefix: string;
  readonly queue: FaceEventQueueSettings | null;
  /** Seals what is stored in Redis (a pass-through without `encryptAtRest`). */
  readonly cipher: AtRestCipher;
}

/** Each provider to set up, with its options as given: the built-ins by their key, then the app's own. */
function configuredProviders(
  options: FaceWebhooksModuleOptions,
  problems: string[],
): [AnyDefinition, object | undefined][] {
  const configured: [AnyDefinition, object | undefined][] = BUILT_IN_PROVIDERS.map((definition) => [
    definition as unknown as AnyDefinition,
    options[definition.name] as object | undefined,
  ]);
  const names = new Set<string>(BUILT_IN_PROVIDERS.map((definition) => definition.name));
  for (const [index, registration] of (options.webhookProviders ?? []).entries()) {
    const definition = registration?.definition as AnyDefinition | undefined;
    if (!isFaceWebhookProviderDefinition(definition) || !registration.options) {
      problems.push(`webhookProviders[${index}] must be made by a defined provider's configure({ ... })`);
      continue;
    }
    if (names.has(definition.name)) {
      problems.push(`webhookProviders: a provider named "${definition.name}" is already registered`);
      continue;
    }
    names.add(definition.name);
    configured.push([definition, registration.options]);
  }
  return configured;
}

/** Every key of `FaceWebhooksModuleOptions` other than the built-in providers' (checked complete below). */
const MODULE_OPTION_KEYS = [
  'webhookProviders',
  'bodyLimit',
  'bodyTimeoutMs',
  'redis',
  'redisKeyPrefix',
  'encryptAtRest',
  'deduplicationStore',
  'deduplicationMaxEntries',
  'deduplicationInFlightTtlMs',
  'deduplicationLeaseMs',
  'delivery',
  'worker',
  'shutdownTimeoutMs',
  'trustedProxyHeader',
  'trustedProxyHops',
] as const satisfies readonly (keyof FaceWebhooksModuleOptions)[];
/** The extras; `forRoot()` passes them along with the options. */
const EXTRAS_KEYS = [
  'basePath',
  'routes',
  'queue',
  'console',
] as const satisfies readonly (keyof FaceWebhooksModuleExtras)[];
// Fails to compile when an option or extra is added without being listed above.
const everyKeyListed: [
  Exclude<keyof FaceWebhooksModuleOptions, BuiltInProvider['name'] | (typeof MODULE_OPTION_KEYS)[number]>,
  Exclude<keyof FaceWebhooksModuleExtras, (typeof EXTRAS_KEYS)[number]>,
] extends [never, never]
  ? true
  : false = true;
void everyKeyListed;

/** Each key the options may hold, for "did you mean". */
function knownOptionKeys(): string[] {
  return [...BUILT_IN_PROVIDERS.map((definition) => definition.name), ...MODULE_OPTION_KEYS, ...EXTRAS_KEYS];
}

/** Edit distance between two keys, compared without case. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** Whether the letters of `short` appear in order in `long`, starting with its first, ignoring case. */
function abbreviates(short: string, long: string): boolean {
  const [x, y] = [short.toLowerCase(), long.toLowerCase()];
  if (x[0] !== y[0]) return false;
  let at = 0;
  for (const letter of x) {
    at = y.indexOf(letter, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** Keys the library does not know, each with the known key it most likely meant. */
export function unknownOptionKeys(options: object): string[] {
  const known = knownOptionKeys();
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const [close] = known
      .map((candidate) => [candidate, distance(key, candidate)] as const)
      .filter(([candidate, d]) => d <= Math.max(1, Math.floor(candidate.length / 3)))
      .sort((a, b) => a[1] - b[1]);
    // Or a shortening of a key: `dedupStore` for `deduplicationStore`.
    const best =
      close?.[0] ?? (key.length >= 4 ? known.find((candidate) => abbreviates(key, candidate)) : undefined);
    problems.push(
      best
        ? `${key} is not an option of FaceWebhooksModule: did you mean ${best}?`
        : `${key} is not an option of FaceWebhooksModule (options: ${known.join(', ')})`,
    );
  }
  return problems;
}

/** Checks the options once, at bootstrap; every problem is reported together, each naming its setting. */
export function resolveFaceWebhooksOptions(
  options: FaceWebhooksModuleOptions,
  extras: ResolvedFaceWebhooksExtras,
): ResolvedFaceWebhooksOptions {
  const problems: string[] =
    typeof options === 'object' && options !== null ? unknownOptionKeys(options) : [];
  const definitions: AnyDefinition[] = [];
  const providers: FaceWebhookProvider[] = [];
  const singleRoutes: string[] = [];
  const tenantSources: TenantSource[] = [];
  const deliveryModes: Record<string, FaceDeliveryMode> = {};
  const defaultMode = options.delivery ?? (extras.queue ? 'queued' : 'inline');
  const proxy = trustedProxy(options, problems);
  for (const [typed, given] of configuredProviders(options, problems)) {
    const key = typed.name;
    const providerOptions = given as
      (CommonProviderOptions & { readonly tenants?: FaceWebhookTenantsOptions<object> }) | undefined;
    if (providerOptions === undefined || providerOptions.enabled === false) continue;
    const tenants = providerOptions.tenants;
    const allowList =
      providerOptions.allowedSourceIps === undefined
        ? undefined
        : SourceAllowList.parse(`${key}.allowedSourceIps`, providerOptions.allowedSourceIps);
    const found = [
      ...(Array.isArray(allowList) ? allowList : []),
      ...typed.validateOptions(providerOptions, tenants === undefined),
      ...checkDurationMs(`${key}.deduplicationTtlMs`, providerOptions.deduplicationTtlMs),
      ...(tenants === undefined
        ? []
        : typed.tenantSettings?.length
          ? checkTenantsOptions(key, tenants)
          : [`${key}.tenants: ${typed.title} does not support tenants`]),
    ];
    problems.push(...found);
    if (found.length > 0) continue;
    // With tenants only, this provider authenticates nothing: it parses stored events (the queue's
    // worker, the console's replay) and its route without a tenant is not served.
    const ownCredentials = typed.hasCredentials(providerOptions);
    const wrap =
      allowList instanceof SourceAllowList
        ? (inner: FaceWebhookProvider) => withSourceAllowList(inner, allowList, proxy)
        : undefined;
    const created = createFaceWebhookProvider(
      typed,
      ownCredentials ? providerOptions : withoutTenantOnlySettings(typed, providerOptions),
    );
    const provider = wrap ? wrap(created) : created;
    definitions.push(typed);
    providers.push(provider);
    if (ownCredentials) singleRoutes.push(provider.name);
    if (tenants) {
      tenantSources.push({
        provider: provider.name,
        definition: typed,
        options: providerOptions,
        tenants: {
          resolve: tenants.resolve,
          cacheTtlMs: tenants.cacheTtlMs ?? TENANT_DEFAULTS.cacheTtlMs,
          maxCachedTenants: tenants.maxCachedTenants ?? TENANT_DEFAULTS.maxCachedTenants,
          timeoutMs: tenants.timeoutMs ?? TENANT_DEFAULTS.timeoutMs,
        },
        ...(wrap ? { wrap } : {}),
      });
    }
    deliveryModes[provider.name] = providerOptions.delivery ?? defaultMode;
    if (deliveryModes[provider.name] === 'queued' && !extras.queue) {
      problems.push(
        `${key} delivery is 'queued' but the queue is off: pass queue: true to forRoot()/forRootAsync()`,
      );
    }
  }
  if (providers.length === 0 && problems.length === 0) {
    const names = BUILT_IN_PROVIDERS.map((definition) => definition.name).join(', ');
    problems.push(`no provider is enabled: set one of ${names}, or webhookProviders`);
  }

  const bodyLimitBytes = parseBodyLimit(options.bodyLimit ?? DEFAULT_BODY_LIMIT);
  if (bodyLimitBytes === undefined)
    problems.push(`bodyLimit: use a number of bytes or a size such as '256kb' or '2mb'`);
  // Whole-number settings: where the value comes from, its default, and the name problems give.
  const wholeNumbers = {
    maxEntries: ['deduplicationMaxEntries', options.deduplicationMaxEntries, 100_000],
    inFlightTtlMs: ['deduplicationInFlightTtlMs', options.deduplicationInFlightTtlMs, 120_000],
    leaseMs: ['deduplicationLeaseMs', options.deduplicationLeaseMs, 10_000],
    shutdownTimeoutMs: ['shutdownTimeoutMs', options.shutdownTimeoutMs, 10_000],
    bodyTimeoutMs: ['bodyTimeoutMs', options.bodyTimeoutMs, 10_000],
    attempts: ['worker.attempts', options.worker?.attempts, 5],
    backoffDelayMs: ['worker.backoffDelayMs', options.worker?.backoffDelayMs, 1_000],
    concurrency: ['worker.concurrency', options.worker?.concurrency, 5],
    lockDurationMs: ['worker.lockDurationMs', options.worker?.lockDurationMs, 30_000],
    stalledIntervalMs: ['worker.stalledIntervalMs', options.worker?.stalledIntervalMs, 30_000],
  } satisfies Record<string, [string, number | undefined, number]>;
  const n = {} as Record<keyof typeof wholeNumbers, number>;
  for (const [name, [setting, value, fallback]] of Object.entries(wholeNumbers)) {
    const chosen = value ?? fallback;
    if (Number.isInteger(chosen) && chosen > 0) n[name as keyof typeof wholeNumbers] = chosen;
    else problems.push(`${setting} must be a positive integer`);
  }

  const store = options.deduplicationStore ?? 'memory';
  const custom = store instanceof FaceWebhookIdempotencyStore;
  if (store !== 'memory' && store !== 'redis' && !custom)
    problems.push(`deduplicationStore must be 'memory', 'redis' or a FaceWebhookIdempotencyStore`);
  if (options.redis === undefined) {
    if (store === 'redis') problems.push(`redis is required with deduplicationStore: 'redis'`);
    if (extras.queue) problems.push('redis is required when the queue is on');
  } else {
    problems.push(...checkRedisConnection(options.redis));
  }
  problems.push(...atRestEncryptionProblems(options.encryptAtRest));
  if (problems.length > 0) throw new FaceWebhooksConfigError(problems);

  const keyPrefix = options.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  return {
    settings: {
      basePath: extras.basePath,
      routes: extras.routes,
      singleRoutes,
      tenantRoutes: tenantSources.map((source) => source.provider),
      bodyLimitBytes: bodyLimitBytes!,
      bodyTimeoutMs: n.bodyTimeoutMs,
      deliveryModes,
      inFlightTtlMs: n.inFlightTtlMs,
      leaseMs: n.leaseMs,
      shutdownTimeoutMs: n.shutdownTimeoutMs,
    },
    definitions,
    providers,
    tenantSources,
    deduplication: custom
      ? { store: 'custom', instance: store }
      : store === 'redis'
        ? { store, redis: options.redis!, keyPrefix }
        : { store: 'memory', maxEntries: n.maxEntries },
    redis: options.redis,
    redisKeyPrefix: keyPrefix,
    queue: extras.queue
      ? {
          connection: options.redis!,
          // BullMQ's keys of one queue must share a slot on a cluster: the whole prefix is the tag.
          prefix: hashTagged(isClusterConnection(options.redis!), '', `${keyPrefix}bull`),
          workers: extras.queue.workers,
          attempts: n.attempts,
          backoffDelayMs: n.backoffDelayMs,
          concurrency: n.concurrency,
          lockDurationMs: n.lockDurationMs,
          stalledIntervalMs: n.stalledIntervalMs,
        }
      : null,
    cipher: new AtRestCipher(options.encryptAtRest),
  };
}

/** The module's trusted proxy, checked: a header name and a number of hops. */
function trustedProxy(options: FaceWebhooksModuleOptions, problems: string[]): TrustedProxy | undefined {
  const { trustedProxyHeader: header, trustedProxyHops: hops } = options;
  if (header === undefined) {
    if (hops !== undefined) problems.push('trustedProxyHops needs trustedProxyHeader');
    return undefined;
  }
  const name = typeof header === 'string' ? header.trim().toLowerCase() : '';
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) {
    problems.push(`trustedProxyHeader must be a header name such as 'x-forwarded-for'`);
  } else if (name === 'forwarded') {
    problems.push(
      `trustedProxyHeader: the Forwarded header (RFC 7239) is not supported; use 'x-forwarded-for'`,
    );
  }
  if (hops !== undefined && !(Number.isInteger(hops) && hops >= 1 && hops <= 10)) {
    problems.push('trustedProxyHops must be a whole number from 1 to 10');
  }
  return { header: name, hops: hops ?? 1 };
}

/** Sizes `bytes` reads exactly: whole bytes (`'512'`, `'512b'`) or kb/mb/gb/tb/pb, say `'1.5mb'`. */
const BODY_LIMIT_SIZE = /^\s*(?:\d+\s*b?|\d+(?:\.\d+)?\s*(?:kb|mb|gb|tb|pb))\s*$/i;

/** Bytes, or undefined when the limit is not a size read exactly (`'2 megabytes'`, `'10k'`, `'0.1kb'`). */
export function parseBodyLimit(limit: unknown): number | undefined {
  let value: number | null;
  if (typeof limit === 'number') value = limit;
  else if (typeof limit === 'string' && BODY_LIMIT_SIZE.test(limit)) {
    value = bytes.parse(limit.trim());
    // A fraction of a unit that is not a whole number of bytes is refused rather than rounded.
    const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(limit.trim())!;
    const scale = unit ? bytes.parse(`1${unit}`) : 1;
    if (value === null || scale === null || Number(amount) * scale !== value) return undefined;
  } else return undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Checks the extras and fills in their defaults. */
export function resolveExtras(extras: FaceWebhooksModuleExtras): ResolvedFaceWebhooksExtras {
  const queue = extras.queue
    ? { workers: typeof extras.queue === 'object' ? extras.queue.workers !== false : true }
    : undefined;
  return {
    basePath: normalizeBasePath(extras.basePath),
    routes: extras.routes !== false,
    queue,
    console: extras.console ? checkConsoleOptions(extras.console) : undefined,
  };
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
