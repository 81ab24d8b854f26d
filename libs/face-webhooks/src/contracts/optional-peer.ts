import { FaceWebhooksConfigError } from './face-webhooks-config.error.js';

/** Whether `error` says that `pkg` itself (not some other module) could not be found. */
function isMissing(error: unknown, pkg: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    (message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`))
  );
}

/**
 * Runs `load`, which imports code needing the optional peer dependencies `packages`; when one of
 * them is not installed, throws a `FaceWebhooksConfigError` naming the option that needs it and the
 * `npm install` line, instead of the raw module-not-found error. Other errors pass through.
 */
export async function loadWithOptionalPeers<T>(
  packages: readonly string[],
  option: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing = packages.find((pkg) => isMissing(error, pkg));
    if (missing === undefined) throw error;
    const problem = new FaceWebhooksConfigError([
      `${option} needs the ${missing} package, which is not installed: npm install ${packages.join(' ')}`,
    ]);
    throw Object.assign(problem, { cause: error });
  }
}

/** Imports the optional peer dependency `pkg`, needed by `option`; see `loadWithOptionalPeers`. */
export function importOptionalPeer<T = unknown>(pkg: string, option: string): Promise<T> {
  return loadWithOptionalPeers([pkg], option, () => import(pkg) as Promise<T>);
}
