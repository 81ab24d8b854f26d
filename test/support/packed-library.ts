import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// What the tests of the published package share: the workspace's installed versions, a command
// runner that shows a failing command's output, and `npm pack` of the built library.
export const root = resolve(process.cwd());
export const libDir = join(root, 'libs/face-webhooks');

/** The version of `pkg` installed in the workspace. */
export const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

/** Runs a command to its end and returns its stdout; a failure carries its stdout and stderr. */
export const run = (
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): string => {
  try {
    return execFileSync(command, args, {
      cwd,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
};

/** Packs the built library (`npm test` builds it first) into `dir` and returns the tarball's name. */
export function packLibrary(dir: string): string {
  if (!existsSync(join(libDir, 'dist/index.js')))
    throw new Error('build the library first: npm run build:lib');
  run('npm', ['pack', '--silent', '--pack-destination', dir], libDir);
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  return tarball;
}

/** npm install as the package tests run it: from the workspace's npm cache where it can. */
export const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
