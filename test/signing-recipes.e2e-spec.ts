import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Injectable, type INestApplication } from '@nestjs/common';
import {
  FaceWebhooksModule,
  OnFaceEvent,
  type AnyFaceEvent,
  type FaceWebhooksModuleOptions,
} from 'nestjs-face-webhooks';
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
import { ADAPTERS, createTestApp } from './support/create-app.js';

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
  /** `docs/providers/<page>.md`, served at `/webhooks/<provider>`. */
  readonly page: string;
  readonly provider: string;
  readonly options: FaceWebhooksModuleOptions;
  /** In the order of the page's shell blocks. */
  readonly recipes: readonly Recipe[];
}

const token = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;
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

function providerPages(): ProviderPage[] {
  const secrets = {
    faceio: token('fio_'),
    facesign: whsec(),
    idaas: token('idaas_'),
    stripe: whsec(),
    persona: token('wbhsec_'),
    standard: whsec(),
    onfido: token('onfido_'),
    veriff: token('veriff_'),
    sumsub: token('sumsub_'),
  };
  // The page's own instructions make the pair the v1a recipe signs with.
  const sender = pairFromStandardPage();
  return [
    {
      page: 'faceio',
      provider: 'faceio',
      options: { faceio: { token: secrets.faceio } },
      recipes: [
        {
          secret: secrets.faceio,
          wrongSecret: token('fio_'),
          body: () => faceioFixture('AUTH', { facialId: randomUUID() }),
        },
      ],
    },
    {
      page: 'facesign',
      provider: 'facesign',
      options: { facesign: { secret: secrets.facesign } },
      recipes: [
        { secret: secrets.facesign, wrongSecret: whsec(), body: () => faceSignFixture('session.status') },
      ],
    },
    {
      page: 'idaas',
      provider: 'idaas',
      options: { idaas: { secret: secrets.idaas } },
      recipes: [
        {
          secret: secrets.idaas,
          wrongSecret: token('idaas_'),
          body: () => idaasFixture('face.biometric.created'),
        },
      ],
    },
    {
      page: 'stripe-identity',
      provider: 'stripe-identity',
      options: { 'stripe-identity': { secret: secrets.stripe } },
      recipes: [
        {
          secret: secrets.stripe,
          wrongSecret: whsec(),
          body: () => stripeIdentityFixture('identity.verification_session.verified'),
        },
      ],
    },
    {
      page: 'persona',
      provider: 'persona',
      options: { persona: { secret: secrets.persona } },
      recipes: [
        {
          secret: secrets.persona,
          wrongSecret: token('wbhsec_'),
          body: () => personaFixture('inquiry.approved'),
        },
      ],
    },
    {
      page: 'standard',
      provider: 'standard',
      options: { standard: { secret: secrets.standard, publicKey: sender.publicKey } },
      recipes: [
        {
          secret: secrets.standard,
          wrongSecret: whsec(),
          body: () => standardWebhookFixture('invoice.paid'),
        },
        {
          secret: sender.privateKey,
          wrongSecret: ed25519Pair().privateKey,
          body: () => standardWebhookFixture('contact.created'),
        },
      ],
    },
    {
      page: 'onfido',
      provider: 'onfido',
      options: { onfido: { secret: secrets.onfido } },
      recipes: [
        {
          secret: secrets.onfido,
          wrongSecret: token('onfido_'),
          body: () => onfidoFixture('check.completed'),
        },
      ],
    },
    {
      page: 'veriff',
      provider: 'veriff',
      options: { veriff: { secret: secrets.veriff } },
      recipes: [
        {
          secret: secrets.veriff,
          wrongSecret: token('veriff_'),
          body: () => veriffFixture('event.submitted'),
        },
      ],
    },
    {
      page: 'sumsub',
      provider: 'sumsub',
      options: { sumsub: { secret: secrets.sumsub } },
      recipes: [
        {
          secret: secrets.sumsub,
          wrongSecret: token('sumsub_'),
          body: () => sumsubFixture('applicantReviewed'),
        },
      ],
    },
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

@Injectable()
class ReceivedEvents {
  readonly events: AnyFaceEvent[] = [];

  @OnFaceEvent('**')
  onEvent(event: AnyFaceEvent): void {
    this.events.push(event);
  }
}

beforeAll(async () => {
  // The recipes use these as installed on the machine; say so plainly when one is missing.
  for (const tool of ['bash', 'openssl', 'curl']) {
    await expect(run('sh', ['-c', `command -v ${tool}`])).resolves.toBeDefined();
  }
});

describe.each(ADAPTERS)('signing recipes of the provider pages (%s)', (adapter) => {
  describe.each(providerPages().map((page) => [page.page, page] as const))('%s', (_name, page) => {
    let app: INestApplication;
    let received: ReceivedEvents;
    let url: string;

    beforeAll(async () => {
      ({ app } = await createTestApp({
        adapter,
        imports: [FaceWebhooksModule.forRoot(page.options)],
        providers: [ReceivedEvents],
      }));
      await app.listen(0, '127.0.0.1');
      url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/webhooks/${page.provider}`;
      received = app.get(ReceivedEvents);
    });
    afterAll(() => app.close());
    beforeEach(() => (received.events.length = 0));

    it('has one recipe per key, each setting SECRET, URL and BODY once', () => {
      const blocks = recipeBlocks(page.page);
      expect(blocks).toHaveLength(page.recipes.length);
      for (const block of blocks) {
        for (const name of RECIPE_VARIABLES) expect(block.match(assignment(name))).toHaveLength(1);
        expect(block).toMatch(/\bcurl\b/);
      }
    });

    it.each(page.recipes.map((recipe, index) => [index + 1, recipe] as const))(
      'block %i: the page’s own body is accepted and handled',
      async (index, recipe) => {
        const block = recipeBlocks(page.page)[index - 1]!;
        const { status, output } = await runRecipe(block, { SECRET: recipe.secret, URL: url });
        expect({ status, output }).toMatchObject({ status: 200 });
        expect(output).toContain('"received":true');
        expect(received.events.map((event) => event.provider)).toEqual([page.provider]);
      },
    );

    it.each(page.recipes.map((recipe, index) => [index + 1, recipe] as const))(
      'block %i: another body is accepted byte for byte, and the same with a wrong key gets 401',
      async (index, recipe) => {
        const block = recipeBlocks(page.page)[index - 1]!;
        const body = JSON.stringify(recipe.body());
        const signed = await runRecipe(block, { SECRET: recipe.secret, URL: url, BODY: body });
        expect({ status: signed.status, output: signed.output }).toMatchObject({ status: 200 });
        expect(received.events).toHaveLength(1);
        expect(received.events[0]!.raw.toString('utf8')).toBe(body);

        received.events.length = 0;
        const other = JSON.stringify(recipe.body());
        const forged = await runRecipe(block, { SECRET: recipe.wrongSecret, URL: url, BODY: other });
        expect(forged.status).toBe(401);
        expect(received.events).toHaveLength(0);
      },
    );
  });
});
