import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ensureCurl } from './support/chromium.js';
import { npmStart, type StartedApp } from './support/npm-start.js';
import { freePort } from './support/redis-server.js';
import { waitFor } from './support/wait-for.js';

// The README's shell commands that a test can run, run as written: the sample app started with
// `npm start` (on a free port instead of 3000, through PORT), then the README's curl commands
// against it. `npm ci && npm test` is what CI runs itself; this checks that .ci/run says the same.
const readme = readFileSync('README.md', 'utf8');
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());

describe('the README two commands', () => {
  it('are `npm ci && npm start` and `npm ci && npm test`, and CI runs the same steps', () => {
    expect(shellBlocks).toContain('npm ci && npm start');
    expect(shellBlocks).toContain('npm ci && npm test');
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('packs the library under the tarball name the install lines use', () => {
    const version = (
      JSON.parse(readFileSync('libs/face-webhooks/package.json', 'utf8')) as { version: string }
    ).version;
    const pack = shellBlocks.find((block) => block.includes('npm pack -w libs/face-webhooks'));
    expect(pack).toContain(`nestjs-face-webhooks-${version}.tgz`);
    expect(pack).toContain(`npm install /path/to/nestjs-face-webhooks-${version}.tgz`);
  });
});

describe('the README curl commands, against the sample app started with npm start', () => {
  let app: StartedApp | undefined;
  let port = 0;

  beforeAll(async () => {
    ensureCurl();
    port = await freePort();
    // npm start builds the library and the app, then starts it: the command the README gives.
    const started = npmStart(process.cwd(), port, { HOST: '127.0.0.1' });
    app = started;
    await waitFor(
      `npm start to listen on ${port}`,
      async () => {
        if (started.exitCode() !== null)
          throw new Error(`npm start exited ${started.exitCode()}:\n${started.output()}`);
        return fetch(`http://127.0.0.1:${port}/health`).then(
          (res) => res.status === 200,
          () => false,
        );
      },
      240_000,
    );
  }, 300_000);

  afterAll(() => app?.stop());

  it('records the enrolment the README sends and reads it back', async () => {
    const block = shellBlocks.find((candidate) =>
      candidate.startsWith('curl -s -X POST localhost:3000/webhooks/faceio'),
    );
    expect(block).toBeDefined();
    const script = block!.replaceAll('localhost:3000', `127.0.0.1:${port}`);
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script]);
    // The delivery's acknowledgement, then the enrolment as the app recorded it.
    const [ack, enrolment] = stdout.split(/(?<=\})(?=\{)/);
    expect(JSON.parse(ack!)).toEqual({ received: true });
    expect(JSON.parse(enrolment!)).toMatchObject({ facialId: 'f1', age: '30' });
  });
});
