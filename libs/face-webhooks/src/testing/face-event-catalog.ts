import type { FaceWebhookProviderDefinition } from '../contracts/face-webhook-provider.interface.js';
import { BUILT_IN_PROVIDERS } from '../providers/built-in-providers.js';

/** A provider definition, as the testing kit and the CLI use it. */
export type CatalogProvider = FaceWebhookProviderDefinition<string, object, object>;

/** The providers the library ships, then `extra` ones (an app's own), by name. */
export function providerCatalog(
  extra: readonly CatalogProvider[] = [],
): ReadonlyMap<string, CatalogProvider> {
  const catalog = new Map<string, CatalogProvider>();
  for (const definition of [...(BUILT_IN_PROVIDERS as readonly CatalogProvider[]), ...extra]) {
    if (catalog.has(definition.name)) throw new UsageError(`two providers are named "${definition.name}"`);
    catalog.set(definition.name, definition);
  }
  return catalog;
}

/**
 * `'idaas.face.biometric.created'` -> its provider and its own type, or `undefined` when no
 * provider of `catalog` has a fixture for it.
 */
export function parseEventType(
  fullType: string,
  catalog: ReadonlyMap<string, CatalogProvider> = providerCatalog(),
): { provider: CatalogProvider; type: string } | undefined {
  const dot = fullType.indexOf('.');
  if (dot <= 0) return undefined;
  const provider = catalog.get(fullType.slice(0, dot));
  const type = fullType.slice(dot + 1);
  return provider?.testing.types.includes(type) ? { provider, type } : undefined;
}

/**
 * A delivery of `type` as its provider sends it: the fixture, changed by `path=value` assignments
 * (see {@link setPath}), signed with `secret` for `url`. What the CLI sends and `deliver()` sends.
 */
export function signedDelivery(
  provider: CatalogProvider,
  type: string,
  secret: string,
  url: string,
  assignments: readonly string[] = [],
): { headers: Record<string, string>; body: string } {
  const body = provider.testing.fixture(type);
  for (const assignment of assignments) setPath(body, assignment);
  return provider.testing.sign(secret, url, JSON.stringify(body));
}

/** Applies `path=value` to a body: `details.age=41`, `data.entityAttributes.userId=bob`. JSON values are parsed. */
export function setPath(body: Record<string, unknown>, assignment: string): void {
  const equals = assignment.indexOf('=');
  if (equals <= 0) throw new UsageError(`--set takes path=value, got "${assignment}"`);
  const path = assignment.slice(0, equals).split('.');
  if (path.some((key) => key === '' || key === '__proto__' || key === 'constructor' || key === 'prototype')) {
    throw new UsageError(`--set path "${assignment.slice(0, equals)}" is not allowed`);
  }
  const raw = assignment.slice(equals + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // not JSON: keep the string
  }
  let target = body;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[path.at(-1)!] = value;
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
