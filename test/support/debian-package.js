// The services and tools the tests need come from Debian packages. Tests must not depend on a
// machine set up by hand, so a missing one is installed when we are root with apt-get.
import { execFileSync } from 'node:child_process';

/** Installs the Debian package `name` when `present()` is false and we are root; else says how. */
export function ensureDebianPackage(name, present, need) {
  if (present()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${need}: install it (Debian/Ubuntu: sudo apt-get install -y ${name})`);
  }
  console.log(`${name} is missing: installing the Debian package ${name}`);
  execFileSync(
    'sh',
    ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${name}`],
    { stdio: 'inherit' },
  );
}
