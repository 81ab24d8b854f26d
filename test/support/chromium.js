// Debian's Chromium for the browser tests (playwright-core drives it; its own browser download
// cannot work on a machine that reaches only the npm registry and Debian). Installed when missing
// and we are root with apt-get, since tests must not depend on a machine set up by hand.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debian-package.js';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export function ensureChromium() {
  ensureDebianPackage('chromium', () => existsSync(CHROMIUM), 'The browser tests need Chromium');
  return CHROMIUM;
}

/** curl, for the README's commands. */
export function ensureCurl() {
  const found = () => spawnSync('sh', ['-c', 'command -v curl']).status === 0;
  ensureDebianPackage('curl', found, "The README's commands need curl");
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
