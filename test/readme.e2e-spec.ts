import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { documentationPages } from './support/doc-pages.js';

// The README is what a newcomer runs; these check the parts of it that code cannot otherwise keep true.
const readme = readFileSync('README.md', 'utf8');
const section = (heading: string): string => {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
};
const packageJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { engines: { node: string } };

describe('README', () => {
  it('installs every package the "Use it in your app" code imports', () => {
    const use = section('Use it in your app');
    const install = /npm install (nestjs-face-webhooks[^\n]*)/.exec(use)![1]!.split(/\s+/);
    const imported = new Set(
      [...use.matchAll(/from '((?:@[\w-]+\/)?[\w-]+)[^']*'/g)].map((match) => match[1]!),
    );
    // A Nest app has these already.
    for (const given of ['@nestjs/common', '@nestjs/core']) imported.delete(given);
    expect([...imported].filter((name) => !install.includes(name))).toEqual([]);
    expect(imported.has('@nestjs/config')).toBe(true);
  });

  it('states the Node versions the packages declare, and CI runs each of them', () => {
    const engines = packageJson('package.json').engines.node;
    expect(packageJson('libs/face-webhooks/package.json').engines.node).toBe(engines);
    const promised = /Requires Node ([^,]+),/.exec(readme)![1]!;
    expect(promised).toContain('20.19');
    const ci = readFileSync('.ci/run', 'utf8');
    for (const major of [...promised.matchAll(/(?<![.\d])(\d{2})(?!\d)/g)].map((match) => match[1]!)) {
      if (major === '20') continue; // the machine's own Node, which CI runs first
      expect(ci).toMatch(new RegExp(`NODE_VERSIONS=.*\\b${major}\\b`));
    }
  });
});

describe('the Node 20 warnings the README lists', () => {
  // What `npm ci` on Node 20 warns about: every locked package whose `engines.node` leaves out 20.19.
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }>;
  };
  const refusing = Object.entries(lock.packages)
    .filter(([path, entry]) => {
      const node = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      return path !== '' && node !== undefined && !semver.satisfies('20.19.0', node);
    })
    .map(([path, entry]) => ({
      name: path.slice(path.lastIndexOf('node_modules/') + 13),
      version: entry.version,
      dev: entry.dev === true,
    }));
  const sentence =
    /on it `npm ci` in\s+this repository prints([\s\S]*?)They are warnings only/.exec(readme)?.[1] ?? '';

  it('gives their number: one warning per installed copy, and the distinct packages', () => {
    expect(sentence).not.toBe('');
    const [, warnings, packages] =
      /^ (\d+) `EBADENGINE` warnings[^)]*\) for (\d+) packages/.exec(sentence) ?? [];
    expect(warnings).toBe(String(refusing.length));
    expect(packages).toBe(String(new Set(refusing.map((entry) => `${entry.name}@${entry.version}`)).size));
  });

  it('names each of them (a scope with /* covers its packages), and says which reach an app', () => {
    const named = (name: string): boolean =>
      sentence.includes(`\`${name}\``) ||
      (name.startsWith('@') && sentence.includes(`\`${name.split('/')[0]}/*\``));
    expect(refusing.filter((entry) => !named(entry.name)).map((entry) => entry.name)).toEqual([]);
    // The ones an app installs too are named before "development tools".
    const beforeDev = sentence.slice(0, sentence.indexOf('development tools'));
    expect(refusing.filter((entry) => !entry.dev && !beforeDev.includes(`\`${entry.name}\``))).toEqual([]);
  });
});

describe('links of the README and docs/', () => {
  const pages = documentationPages();

  it.each(pages)('every relative link of %s points at a file that exists', (page) => {
    const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
      .map((target) => target.split('#')[0]!)
      .filter((target) => !existsSync(join(dirname(page), decodeURIComponent(target))));
    expect(broken).toEqual([]);
  });
});
