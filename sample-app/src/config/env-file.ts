import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
