import { faceioFixture } from '../providers/faceio/faceio.fixtures.js';
import { FACEIO_EVENT_NAMES, type FaceioEventName } from '../providers/faceio/faceio.events.js';
import { signFaceioRequest } from '../providers/faceio/faceio.signer.js';
import { faceSignFixture } from '../providers/facesign/facesign.fixtures.js';
import { FACESIGN_EVENT_TYPES, type FaceSignEventType } from '../providers/facesign/facesign.events.js';
import { signFaceSignRequest } from '../providers/facesign/facesign.signer.js';
import { idaasFixture } from '../providers/idaas/idaas.fixtures.js';
import { IDAAS_EVENT_TYPES, type IdaasEventType } from '../providers/idaas/idaas.events.js';
import { signIdaasRequest } from '../providers/idaas/idaas.signer.js';

export type ProviderName = 'faceio' | 'facesign' | 'idaas';

/** How the CLI builds and signs a delivery of each provider. */
interface ProviderCatalog {
  readonly types: readonly string[];
  /** The flag and the environment variable that give the secret. */
  readonly secretFlag: '--token' | '--secret';
  readonly secretEnv: string;
  /** The provider's slice of the module options, for this secret. */
  options(secret: string): Record<string, unknown>;
  fixture(type: string): Record<string, unknown>;
  sign(secret: string, url: string, body: string): { headers: Record<string, string>; body: string };
}

export const CATALOG: Readonly<Record<ProviderName, ProviderCatalog>> = {
  faceio: {
    types: FACEIO_EVENT_NAMES,
    secretFlag: '--token',
    secretEnv: 'FACEIO_WEBHOOK_TOKEN',
    options: (token) => ({ token }),
    fixture: (type) => ({ ...faceioFixture(type as FaceioEventName) }),
    sign: (token, _url, body) => signFaceioRequest({ token, body }),
  },
  facesign: {
    types: FACESIGN_EVENT_TYPES,
    secretFlag: '--secret',
    secretEnv: 'FACESIGN_WEBHOOK_SECRET',
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...faceSignFixture(type as FaceSignEventType) }),
    sign: (secret, _url, body) => signFaceSignRequest({ secret, body }),
  },
  idaas: {
    types: IDAAS_EVENT_TYPES,
    secretFlag: '--secret',
    secretEnv: 'IDAAS_WEBHOOK_SECRET',
    options: (secret) => ({ secret }),
    fixture: (type) => ({ ...idaasFixture(type as IdaasEventType) }),
    sign: (secret, url, body) => signIdaasRequest({ secret, url, body }),
  },
};

/** `'idaas.face.biometric.created'` -> provider and its own type, or `undefined` when unknown. */
export function parseEventType(fullType: string): { provider: ProviderName; type: string } | undefined {
  const dot = fullType.indexOf('.');
  const provider = fullType.slice(0, dot) as ProviderName;
  const type = fullType.slice(dot + 1);
  if (dot <= 0 || !(provider in CATALOG)) return undefined;
  return CATALOG[provider].types.includes(type) ? { provider, type } : undefined;
}

/**
 * A delivery of `type` as its provider sends it: the fixture, changed by `path=value` assignments
 * (see {@link setPath}), signed with `secret` for `url`. What the CLI sends and `deliver()` sends.
 */
export function signedDelivery(
  provider: ProviderName,
  type: string,
  secret: string,
  url: string,
  assignments: readonly string[] = [],
): { headers: Record<string, string>; body: string } {
  const catalog = CATALOG[provider];
  const body = catalog.fixture(type);
  for (const assignment of assignments) setPath(body, assignment);
  return catalog.sign(secret, url, JSON.stringify(body));
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
