// Installs the peers' own dependencies (bench/peers/package-lock.json) the first time a benchmark needs them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function installPeers() {
  const dir = new URL('./', import.meta.url);
  if (existsSync(new URL('./node_modules/@golevelup/nestjs-stripe', dir))) return;
  // @golevelup/nestjs-stripe declares Nest 10/11 peers; it runs on 12.
  execFileSync('npm', ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
  });
}
