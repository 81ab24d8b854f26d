// `npm run check:api`: builds the API reference (typedoc.json) into a temporary directory and
// fails when TypeDoc warns (a public export without a doc comment, a broken {@link}, a referenced
// type that is neither exported nor listed in intentionallyNotExported) or when the committed
// docs/api/ differs from the fresh build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(root, 'docs', 'api');
const typedoc = join(
  dirname(createRequire(import.meta.url).resolve('typedoc/package.json')),
  'bin',
  'typedoc',
);

const filesUnder = (dir) => {
  const files = [];
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(dir, path));
    }
  };
  try {
    walk(dir);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return files.sort();
};

const fresh = mkdtempSync(join(tmpdir(), 'api-docs-'));
try {
  const build = spawnSync(
    process.execPath,
    [typedoc, '--options', join(root, 'typedoc.json'), '--out', fresh],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) {
    console.error(
      'check:api: TypeDoc failed (see its warnings above): every public export needs a doc comment.',
    );
    process.exit(build.status ?? 1);
  }
  const built = filesUnder(fresh);
  const kept = filesUnder(committed);
  const differing = [
    ...built.filter((file) => !kept.includes(file)).map((file) => `missing from docs/api: ${file}`),
    ...kept.filter((file) => !built.includes(file)).map((file) => `no longer generated: docs/api/${file}`),
    ...built
      .filter((file) => kept.includes(file))
      .filter((file) => !readFileSync(join(fresh, file)).equals(readFileSync(join(committed, file))))
      .map((file) => `out of date: docs/api/${file}`),
  ];
  if (differing.length > 0) {
    console.error(`check:api: docs/api/ differs from the doc comments:\n  ${differing.join('\n  ')}`);
    console.error('Run `npm run docs:api` and commit docs/api/.');
    process.exit(1);
  }
  console.log(
    `check:api: every public export is documented and docs/api/ is up to date (${built.length} files).`,
  );
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
