import { readFileSync } from 'node:fs';

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
