import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The documentation a reader opens: the READMEs and the repository's top-level pages, then every
 * markdown page under `docs/` (with `docs/api/`, the generated reference, unless `generated` is false).
 */
export function documentationPages({ generated = true }: { generated?: boolean } = {}): string[] {
  const found = [
    'README.md',
    'libs/face-webhooks/README.md',
    'CONTRIBUTING.md',
    'SECURITY.md',
    'RELIABILITY.md',
    'bench/README.md',
  ].filter((path) => existsSync(path));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (generated || path !== join('docs', 'api')) walk(path);
      } else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk('docs');
  return found;
}
