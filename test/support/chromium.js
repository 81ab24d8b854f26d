// Debian's Chromium for the browser tests (playwright-core drives it; its own browser download
// cannot work on a machine that reaches only the npm registry and Debian). Installed when missing
// and we are root with apt-get, since tests must not depend on a machine set up by hand.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install -y chromium)',
    );
  }
  console.log('chromium is missing: installing the Debian package chromium');
  execFileSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
    { stdio: 'inherit' },
  );
  return CHROMIUM;
}

/** Flags for a headless Chromium on a machine with a closed network (see the env notes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** curl, for the README's commands: installed like Chromium when missing. */
export function ensureCurl() {
  const found = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' });
  if (found.status === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      "The README's commands need curl: install it (Debian/Ubuntu: sudo apt-get install -y curl)",
    );
  }
  console.log('curl is missing: installing the Debian package curl');
  execFileSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl'],
    {
      stdio: 'inherit',
    },
  );
}
