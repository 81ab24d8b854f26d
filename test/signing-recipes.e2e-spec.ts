import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { FaceWebhooksModule, type FaceWebhooksModuleOptions } from 'nestjs-face-webhooks';
import {
  faceSignFixture,
  faceioFixture,
  idaasFixture,
  onfidoFixture,
  personaFixture,
  standardWebhookFixture,
  stripeIdentityFixture,
  sumsubFixture,
  veriffFixture,
} from 'nestjs-face-webhooks/testing';
import { ADAPTERS, createTestApp, listenOnLoopback } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

// Each provider page ends its authentication part with "Signing a delivery by hand": shell blocks a
// reader copies to post a delivery the app accepts. These run every block as written, against a
// real app listening on a real port, with `bash`, `openssl` and `curl` from the system. The
// Standard Webhooks page's key-pair block is run too: its pair is the one the v1a recipe signs with.

const run = promisify(execFile);
const HEADING = '## Signing a delivery by hand';
const RECIPE_VARIABLES = ['SECRET', 'URL', 'BODY'] as const;
type RecipeVariable = (typeof RECIPE_VARIABLES)[number];

/** One shell block of a page: the key it signs with, another key, and a body of the test's own. */
interface Recipe {
  readonly secret: string;
  readonly wrongSecret: string;
  readonly body: () => object;
}

interface ProviderPage {
  /** `docs/providers/<provider>.md`, served at `/webhooks/<provider>`. */
  readonly provider: string;
  readonly options: FaceWebhooksModuleOptions;
  /** In the order of the page's shell blocks. */
  readonly recipes: readonly Recipe[];
}

const token = (prefix: string) => () => `${prefix}${randomBytes(18).toString('base64url')}`;
const whsec = () => `whsec_${randomBytes(24).toString('base64')}`;

/** An Ed25519 pair as Standard Webhooks writes it: `whsk_` seed and `whpk_` public key, base64. */
function ed25519Pair(): { privateKey: string; publicKey: string } {
  const pair = generateKeyPairSync('ed25519');
  const der = (buffer: Buffer) => buffer.subarray(buffer.length - 32).toString('base64');
  return {
    privateKey: `whsk_${der(pair.privateKey.export({ format: 'der', type: 'pkcs8' }))}`,
    publicKey: `whpk_${der(pair.publicKey.export({ format: 'der', type: 'spki' }))}`,
  };
}

/** A page with one recipe: the provider configured with one fresh secret, signed with it or another. */
function onePage(
  provider: string,
  newSecret: () => string,
  body: () => object,
  setting: 'secret' | 'token' = 'secret',
): ProviderPage {
  const secret = newSecret();
  return {
    provider,
    options: { [provider]: { [setting]: secret } } as FaceWebhooksModuleOptions,
    recipes: [{ secret, wrongSecret: newSecret(), body }],
  };
}

function providerPages(): ProviderPage[] {
  const standardSecret = whsec();
  // The page's own instructions make the pair the v1a recipe signs with.
  const sender = pairFromStandardPage();
  return [
    onePage('faceio', token('fio_'), () => faceioFixture('AUTH', { facialId: randomUUID() }), 'token'),
    onePage('facesign', whsec, () => faceSignFixture('session.status')),
    onePage('idaas', token('idaas_'), () => idaasFixture('face.biometric.created')),
    onePage('stripe-identity', whsec, () => stripeIdentityFixture('identity.verification_session.verified')),
    onePage('persona', token('wbhsec_'), () => personaFixture('inquiry.approved')),
    {
      provider: 'standard',
      options: { standard: { secret: standardSecret, publicKey: sender.publicKey } },
      recipes: [
        { secret: standardSecret, wrongSecret: whsec(), body: () => standardWebhookFixture('invoice.paid') },
        {
          secret: sender.privateKey,
          wrongSecret: ed25519Pair().privateKey,
          body: () => standardWebhookFixture('contact.created'),
        },
      ],
    },
    onePage('onfido', token('onfido_'), () => onfidoFixture('check.completed')),
    onePage('veriff', token('veriff_'), () => veriffFixture('event.submitted')),
    onePage('sumsub', token('sumsub_'), () => sumsubFixture('applicantReviewed')),
  ];
}

/** The shell blocks of the page's "Signing a delivery by hand" section. */
function shellBlocks(page: string): string[] {
  const markdown = readFileSync(`docs/providers/${page}.md`, 'utf8');
  const start = markdown.indexOf(`\n${HEADING}\n`);
  if (start === -1) throw new Error(`docs/providers/${page}.md has no "${HEADING}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** The recipes of a page: the section's shell blocks that set `SECRET` first. */
const recipeBlocks = (page: string): string[] =>
  shellBlocks(page).filter((block) => block.startsWith('SECRET='));

/**
 * The Standard Webhooks page's block that makes an Ed25519 pair, run in a scratch directory: the
 * `SECRET='whsk_...'` and `publicKey: 'whpk_...'` lines it prints.
 */
function pairFromStandardPage(): { privateKey: string; publicKey: string } {
  const blocks = shellBlocks('standard').filter((block) => block.includes('genpkey'));
  if (blocks.length !== 1) throw new Error('docs/providers/standard.md: expected one key-pair block');
  const directory = mkdtempSync(join(tmpdir(), 'face-webhooks-ed25519-'));
  try {
    const output = execFileSync('bash', ['-e', '-o', 'pipefail', '-c', blocks[0]!], {
      cwd: directory,
      encoding: 'utf8',
    });
    const privateKey = /^SECRET='(whsk_[A-Za-z0-9+/=]+)'$/m.exec(output)?.[1];
    const publicKey = /^publicKey: '(whpk_[A-Za-z0-9+/=]+)'$/m.exec(output)?.[1];
    if (!privateKey || !publicKey) throw new Error(`the key-pair block printed:\n${output}`);
    return { privateKey, publicKey };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The line that sets `name` at the top of a block: `NAME=...`, once, before any command. */
const assignment = (name: RecipeVariable) => new RegExp(`^${name}=.*$`, 'gm');

/**
 * Runs a block as the reader would, except that the variables given replace the block's own
 * assignments (the rest of the block is run unchanged). Returns the HTTP status curl printed.
 */
async function runRecipe(
  block: string,
  values: Partial<Record<RecipeVariable, string>>,
): Promise<{ status: number; output: string }> {
  let script = block;
  for (const name of Object.keys(values) as RecipeVariable[]) script = script.replace(assignment(name), '');
  const { stdout, stderr } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...values },
    timeout: 15_000,
  });
  // `curl -i` prints the status line first; the last one counts (after any `100 Continue`).
  const statuses = [...stdout.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((match) => Number(match[1]));
  if (statuses.length === 0) throw new Error(`no HTTP status in the output:\n${stdout}\n${stderr}`);
  return { status: statuses.at(-1)!, output: stdout };
}

beforeAll(async () => {
  // The recipes use these as installed on the machine; say so plainly when one is missing.
  for (const tool of ['bash', 'openssl', 'curl']) {
    await expect(run('sh', ['-c', `command -v ${tool}`])).resolves.toBeDefined();
  }
});

describe.each(ADAPTERS)('signing recipes of the provider pages (%s)', (adapter) => {
  describe.each(providerPages().map((page) => [page.provider, page] as const))('%s', (_name, page) => {
    let app: INestApplication;
    let handlers: RecordingHandlers;
    const received = () => handlers.of('**');
    let url: string;

    beforeAll(async () => {
      ({ app } = await createTestApp({
        adapter,
        imports: [FaceWebhooksModule.forRoot(page.options)],
        providers: [RecordingHandlers],
      }));
      url = `${await listenOnLoopback(app)}/webhooks/${page.provider}`;
      handlers = app.get(RecordingHandlers);
    });
    afterAll(() => app.close());
    beforeEach(() => handlers.reset());

    it('has one recipe per key, each setting SECRET, URL and BODY once', () => {
      const blocks = recipeBlocks(page.provider);
      expect(blocks).toHaveLength(page.recipes.length);
      for (const block of blocks) {
        for (const name of RECIPE_VARIABLES) expect(block.match(assignment(name))).toHaveLength(1);
        expect(block).toMatch(/\bcurl\b/);
      }
    });

    it.each(page.recipes.map((recipe, index) => [index + 1, recipe] as const))(
      'block %i: the page’s own body is accepted and handled',
      async (index, recipe) => {
        const block = recipeBlocks(page.provider)[index - 1]!;
        const { status, output } = await runRecipe(block, { SECRET: recipe.secret, URL: url });
        expect({ status, output }).toMatchObject({ status: 200 });
        expect(output).toContain('"received":true');
        expect(received().map((event) => event.provider)).toEqual([page.provider]);
      },
    );

    it.each(page.recipes.map((recipe, index) => [index + 1, recipe] as const))(
      'block %i: another body is accepted byte for byte, and the same with a wrong key gets 401',
      async (index, recipe) => {
        const block = recipeBlocks(page.provider)[index - 1]!;
        const body = JSON.stringify(recipe.body());
        const signed = await runRecipe(block, { SECRET: recipe.secret, URL: url, BODY: body });
        expect({ status: signed.status, output: signed.output }).toMatchObject({ status: 200 });
        expect(received()).toHaveLength(1);
        expect(received()[0]!.raw.toString('utf8')).toBe(body);

        handlers.reset();
        const other = JSON.stringify(recipe.body());
        const forged = await runRecipe(block, { SECRET: recipe.wrongSecret, URL: url, BODY: other });
        expect(forged.status).toBe(401);
        expect(received()).toHaveLength(0);
      },
    );
  });
});
