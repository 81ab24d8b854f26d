import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { npmStart } from './support/npm-start.js';
import { NPM_INSTALL, libDir, packLibrary, root, run } from './support/packed-library.js';
import { freePort } from './support/redis-server.js';
import { waitFor } from './support/wait-for.js';

// docs/getting-started.md, followed as written: its files into an empty folder, the packed library
// installed beside the page's dependencies, its test run, its app built, started and sent a
// delivery by the page's own command.
const page = readFileSync('docs/getting-started.md', 'utf8');

/** Each file of the page: a paragraph that starts with the file's path, then the file's block. */
const files = new Map(
  [
    ...page.matchAll(
      /(?:^|\n\n)`([\w./-]+\.[\w]+|\.env)`[^\n]*(?:\n(?!\n)[^\n]*)*\n\n```\w+\n([\s\S]*?)```/g,
    ),
  ].map((match) => [match[1]!, match[2]!]),
);
/** The commands of the page's ```sh blocks, block by block. */
const commands = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!.trim().split('\n'));

const json = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;
describe('docs/getting-started.md', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'face-webhooks-getting-started-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('gives every file of the app, with versions this repository is tested with', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        '.env',
        'package.json',
        'src/app.module.ts',
        'src/enrollments.service.spec.ts',
        'src/enrollments.service.ts',
        'src/main.ts',
        'tsconfig.build.json',
        'tsconfig.json',
      ].sort(),
    );
    expect(commands).toEqual([
      ['npm install'],
      ['npm test'],
      ['npm run build', 'npm start'],
      ['npx face-webhooks --dotenv .env send faceio.ENROLL --set facialId=face-1'],
    ]);
    const app = JSON.parse(files.get('package.json')!) as Record<string, Record<string, string>>;
    const workspace = json(join(root, 'package.json')).devDependencies!;
    for (const [name, range] of Object.entries({ ...app.dependencies, ...app.devDependencies })) {
      const expected =
        name === 'nestjs-face-webhooks' ? `^${json(join(libDir, 'package.json')).version}` : workspace[name];
      expect(`${name}@${range}`).toBe(`${name}@${expected}`);
    }
  });

  it('builds an app from the page that passes its test, starts, and handles the signed delivery the page sends', async () => {
    const tarball = packLibrary(workDir);
    const appDir = join(workDir, 'face-app');
    for (const [path, content] of files) {
      mkdirSync(dirname(join(appDir, path)), { recursive: true });
      writeFileSync(join(appDir, path), content);
    }
    // The one change: the package from the tarball, not the registry.
    const manifest = JSON.parse(files.get('package.json')!) as { dependencies: Record<string, string> };
    manifest.dependencies['nestjs-face-webhooks'] = `file:../${tarball}`;
    writeFileSync(join(appDir, 'package.json'), JSON.stringify(manifest, null, 2));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.JEST_WORKER_ID;

    run('npm', NPM_INSTALL, appDir, env); // npm install
    // The page names each package whose install script npm 11 did not run, and why that is fine.
    const skipped = [
      ...run('npm', ['install-scripts', 'ls'], appDir, env).matchAll(/^\s+(@?[^@\s]+)@\S+ \(install/gm),
    ].map((match) => match[1]!);
    for (const name of skipped) expect(page).toContain(`\`${name}\``);
    run('npm', ['test'], appDir, env);
    run('npm', ['run', 'build'], appDir, env);
    expect(existsSync(join(appDir, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(appDir, 'dist/enrollments.service.spec.js'))).toBe(false);

    const port = await freePort();
    const app = npmStart(appDir, port, env);
    try {
      await waitFor(
        `the app to start:\n${app.output()}`,
        () => app.output().includes('Nest application successfully started'),
        30_000,
      );
      const [send] = commands[3]!;
      const [npx, ...args] = send!.split(' ');
      const sent = run(npx!, [...args, '--url', `http://127.0.0.1:${port}/webhooks/faceio`], appDir, env);
      expect(sent).toMatch(/^faceio\.ENROLL -> POST \S+: 200 OK in /);
      await waitFor('the handler to log the enrolment', () => app.output().includes('Enrolled face face-1'));
    } finally {
      await app.stop();
    }
  }, 300_000);
});
