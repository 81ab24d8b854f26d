import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** Which env file the sample app reads, and whether it is the public example. */
export interface SampleEnvFile {
  readonly path: string;
  readonly isExample: boolean;
}

/**
 * `sample-app/.env` when it exists, else `sample-app/.env.example` (dev values). Looked up from the
 * working directory, so it works both from the repository root (`npm start`) and from `sample-app/`.
 */
export function locateEnvFile(cwd = process.cwd()): SampleEnvFile {
  const dir =
    [resolve(cwd, 'sample-app'), cwd].find((candidate) => existsSync(join(candidate, '.env.example'))) ?? cwd;
  const own = join(dir, '.env');
  return existsSync(own)
    ? { path: own, isExample: false }
    : { path: join(dir, '.env.example'), isExample: true };
}

/** The variables that hold secrets; each must not keep its public value from `.env.example`. */
const SECRET_VARIABLES = [
  'FACEIO_WEBHOOK_TOKEN',
  'FACESIGN_WEBHOOK_SECRET',
  'IDAAS_WEBHOOK_SECRET',
  'CONSOLE_PASSWORD',
  'FACEIO_TENANTS',
  'LIVENESS_WEBHOOK_SECRET',
  'STRIPE_IDENTITY_WEBHOOK_SECRET',
  'PERSONA_WEBHOOK_SECRET',
  'STANDARD_WEBHOOK_SECRET',
  'ONFIDO_WEBHOOK_TOKEN',
  'VERIFF_WEBHOOK_SECRET',
  'SUMSUB_WEBHOOK_SECRET',
];

/**
 * The secret variables whose value (from the environment or an env file) is still the public dev
 * value of `.env.example`. Empty when every secret is your own, wherever it came from.
 */
export function publicDevSecrets(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const example = join(dirname(locateEnvFile(cwd).path), '.env.example');
  if (!existsSync(example)) return [];
  const published = parseEnv(readFileSync(example, 'utf8'));
  return SECRET_VARIABLES.filter((name) => published[name] !== undefined && env[name] === published[name]);
}
