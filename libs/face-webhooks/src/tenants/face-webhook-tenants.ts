import { createFaceWebhookProvider } from '../contracts/define-face-webhook-provider.js';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { LRUCache } from 'lru-cache';
import type { FaceWebhookProvider } from '../contracts/face-webhook-provider.interface.js';
import type {
  FaceWebhookTenantLookup,
  FaceWebhookTenantResolver,
} from '../contracts/face-webhook-tenants.options.js';
import {
  FACE_WEBHOOK_TENANT_SOURCES,
  withoutTenantOnlySettings,
  type TenantSource,
} from './tenant-source.js';
import { UnknownTenantLog } from './unknown-tenant-log.js';
import { FaceWebhooksConfigError } from '../contracts/face-webhooks-config.error.js';

/** A tenant's lookup failed, timed out, or returned settings that do not check: the delivery gets 503. */
export class TenantUnavailableError extends Error {}

/** What the cache keeps per tenant: its provider, that it does not exist, or why its settings are refused. */
type TenantEntry =
  | { readonly provider: FaceWebhookProvider; readonly secrets: readonly string[] }
  | { readonly unknown: true }
  | { readonly problems: readonly string[] };

/**
 * The tenants of every provider that has them: each tenant's settings looked up with the app's
 * resolver, checked like the module's own options, turned into that tenant's provider, and kept for
 * `cacheTtlMs` in a cache of at most `maxCachedTenants` entries, unknown tenants included, so a
 * flood of made-up tenant ids costs one lookup each and no more memory than the cache holds.
 * Concurrent deliveries for one tenant share one lookup.
 */
@Injectable()
export class FaceWebhookTenants implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('FaceWebhooks');
  private readonly directories = new Map<string, TenantDirectory>();
  private readonly unknownTenants = new UnknownTenantLog(this.logger);

  constructor(
    @Inject(FACE_WEBHOOK_TENANT_SOURCES) private readonly sources: readonly TenantSource[],
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Class resolvers are taken from the app's container (any module), or built by it. */
  async onModuleInit(): Promise<void> {
    for (const source of this.sources) {
      const lookup = await this.lookupOf(source.provider, source.tenants.resolve);
      this.directories.set(source.provider, new TenantDirectory(source, lookup, this.logger));
    }
  }

  /**
   * The provider of `tenant`, or `null` when the lookup says there is no such tenant. Throws
   * `TenantUnavailableError` when the lookup fails or times out, or the settings do not check.
   */
  async tenantProvider(provider: string, tenant: string): Promise<FaceWebhookProvider | null> {
    const directory = this.directories.get(provider);
    return directory ? directory.get(tenant) : null;
  }

  /** Stops the timer that summarises unknown-tenant warnings when the module shuts down. */
  onModuleDestroy(): void {
    this.unknownTenants.stop();
  }

  /**
   * Logs a delivery refused because its tenant is unknown: a debug line each, and at most a warning
   * per provider per minute (with the count), since anyone can send made-up tenant ids.
   */
  reportUnknown(provider: string, tenant: string): void {
    this.unknownTenants.report(provider, tenant);
  }

  /** Tenants cached now, per provider (known and unknown ones). */
  cachedTenants(provider: string): number {
    return this.directories.get(provider)?.size ?? 0;
  }

  /**
   * Forgets what is cached for `tenant` (say, right after rotating its secret), or for all tenants;
   * an answer to a lookup asked before this is not cached.
   */
  forget(provider: string, tenant?: string): void {
    this.directories.get(provider)?.forget(tenant);
  }

  private async lookupOf(
    provider: string,
    resolve: TenantSource['tenants']['resolve'],
  ): Promise<FaceWebhookTenantLookup<object>> {
    if (!isResolverClass(resolve)) return resolve;
    let resolver: FaceWebhookTenantResolver<object>;
    try {
      resolver = this.moduleRef.get(resolve, { strict: false });
    } catch {
      try {
        resolver = await this.moduleRef.create(resolve);
      } catch (error) {
        const problem = new FaceWebhooksConfigError([
          `${provider}.tenants.resolve: ${resolve.name} is not a provider of the app and cannot be built ` +
            `without one (${String((error as Error)?.message ?? error).split('\n')[0]}); provide ` +
            `${resolve.name} in a module the app imports (and export it from there), or in the ` +
            `providers of the module that calls FaceWebhooksModule.forRoot()/forRootAsync()`,
        ]);
        throw Object.assign(problem, { cause: error });
      }
    }
    return (tenant) => resolver.resolve(tenant);
  }
}

function isResolverClass(
  resolve: TenantSource['tenants']['resolve'],
): resolve is Type<FaceWebhookTenantResolver<object>> {
  return typeof (resolve as { prototype?: { resolve?: unknown } }).prototype?.resolve === 'function';
}

class TenantDirectory {
  private readonly cache: LRUCache<string, TenantEntry>;
  /** Lookups under way; each settles within `timeoutMs`, so this holds at most the deliveries in flight. */
  private readonly pending = new Map<string, Promise<TenantEntry>>();
  /** The provider's settings every tenant shares (its options without the tenant-only ones). */
  private readonly shared: object;
  private lastFailureLog = 0;
  /** Counts `forget()` calls: an answer to a lookup made before one is not cached. */
  private epoch = 0;

  constructor(
    private readonly source: TenantSource,
    private readonly lookup: FaceWebhookTenantLookup<object>,
    private readonly logger: Logger,
  ) {
    this.cache = new LRUCache({ max: source.tenants.maxCachedTenants, ttl: source.tenants.cacheTtlMs });
    this.shared = withoutTenantOnlySettings(source.definition, source.options);
  }

  get size(): number {
    return this.cache.size;
  }

  forget(tenant?: string): void {
    this.epoch++;
    if (tenant === undefined) this.cache.clear();
    else this.cache.delete(tenant);
  }

  async get(tenant: string): Promise<FaceWebhookProvider | null> {
    let entry = this.cache.get(tenant);
    if (!entry) {
      let pending = this.pending.get(tenant);
      if (!pending) {
        pending = this.load(tenant).finally(() => this.pending.delete(tenant));
        this.pending.set(tenant, pending);
      }
      entry = await pending;
    }
    if ('provider' in entry) return entry.provider;
    if ('unknown' in entry) return null;
    throw new TenantUnavailableError(`settings of ${this.source.provider} tenant ${tenant} are refused`);
  }

  private async load(tenant: string): Promise<TenantEntry> {
    const { provider, tenants } = this.source;
    const epoch = this.epoch;
    const lookup = Promise.resolve().then(() => this.lookup(tenant));
    let settings: unknown;
    try {
      settings = await withTimeout(lookup, tenants.timeoutMs);
    } catch (error) {
      if (error instanceof LookupTimeoutError) {
        // The delivery gets 503, but the answer is kept when it comes (as a timely one would be,
        // unless a newer one is cached by then), so the provider's retry finds it.
        lookup.then(
          (late) => {
            if (!this.cache.has(tenant)) this.keep(tenant, late, epoch);
          },
          () => undefined,
        );
      }
      // A failure is not cached: the provider's retry asks again. Logged at most every 10 s, as a
      // flood causes it.
      if (Date.now() - this.lastFailureLog >= 10_000) {
        this.lastFailureLog = Date.now();
        this.logger.error(
          `Looking up ${provider} tenant ${tenant} failed; its deliveries get 503 until it works: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
      throw new TenantUnavailableError(`lookup of ${provider} tenant ${tenant} failed`, { cause: error });
    }
    return this.keep(tenant, settings, epoch);
  }

  /** Caches what a lookup made since the `epoch`-th `forget()` answered, and returns it. */
  private keep(tenant: string, settings: unknown, epoch: number): TenantEntry {
    const entry = this.entryOf(tenant, settings);
    if (epoch === this.epoch) this.cache.set(tenant, entry);
    return entry;
  }

  private entryOf(tenant: string, settings: unknown): TenantEntry {
    const { definition } = this.source;
    if (settings === null || settings === undefined) return { unknown: true };
    if (typeof settings !== 'object') {
      return this.refused(tenant, [`the lookup returned ${typeof settings}, not settings`]);
    }
    const own: Record<string, unknown> = {};
    for (const setting of definition.tenantSettings ?? []) {
      const value = (settings as Record<string, unknown>)[setting];
      if (value !== undefined) own[setting] = value;
    }
    const merged = { ...this.shared, ...own };
    const problems = definition.validateOptions(merged, true);
    if (problems.length > 0) return this.refused(tenant, problems);
    const secrets = secretsOf(own, definition.distinctTenantSecrets);
    const sharedWith = this.sharingSecret(tenant, secrets);
    if (sharedWith !== undefined) {
      return this.refused(tenant, [
        `its ${definition.distinctTenantSecrets!.join('/')} is also that of ${sharedWith}; ` +
          `${definition.name} signatures do not name the tenant, so each could be sent the other's deliveries`,
      ]);
    }
    const provider = createFaceWebhookProvider(definition, merged);
    return { provider: this.source.wrap ? this.source.wrap(provider) : provider, secrets };
  }

  /** Who else has one of `secrets`: the provider's own options, or a tenant cached now. */
  private sharingSecret(tenant: string, secrets: readonly string[]): string | undefined {
    if (secrets.length === 0) return undefined;
    const own = new Set(secrets);
    const { options, definition, provider } = this.source;
    if (secretsOf(options, definition.distinctTenantSecrets).some((secret) => own.has(secret))) {
      return `the ${provider} options`;
    }
    for (const [other, entry] of this.cache.entries()) {
      if (other !== tenant && 'secrets' in entry && entry.secrets.some((secret) => own.has(secret))) {
        return `tenant ${other}`;
      }
    }
    return undefined;
  }

  /** Settings that do not check are ours to fix, not the sender's: logged once per cache period. */
  private refused(tenant: string, problems: string[]): TenantEntry {
    this.logger.error(
      `Settings of ${this.source.provider} tenant ${tenant} are refused; its deliveries get 503: ${problems.join('; ')}`,
    );
    return { problems };
  }
}

/** The values of `settings` in `options` (each a string or a list of them, as while rotating). */
function secretsOf(options: object, settings: readonly string[] | undefined): string[] {
  return (settings ?? []).flatMap((setting) =>
    [(options as Record<string, unknown>)[setting]]
      .flat()
      .filter((value): value is string => typeof value === 'string' && value !== ''),
  );
}

/** A lookup that did not answer within `timeoutMs`; its answer may still come. */
class LookupTimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LookupTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
