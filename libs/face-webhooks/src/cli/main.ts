#!/usr/bin/env node
// The providers' DTOs carry decorators that need it, before any of them loads.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import { Command, CommanderError, Option } from 'commander';
import { parseCapturedRequest } from './captured-request.js';
import { isFaceWebhookProviderDefinition } from '../contracts/define-face-webhook-provider.js';
import {
  parseEventType,
  providerCatalog,
  signedDelivery,
  UsageError,
  type CatalogProvider,
} from '../testing/face-event-catalog.js';
import { verifyCapturedRequest } from './verify-request.js';

// face-webhooks: send realistic, correctly signed face-biometric webhooks to an endpoint, list the
// event types, and check captured requests. Exit codes: 0 ok, 1 refused or failed, 2 usage, 3 network.

/** The built-in providers, and those of `--providers` modules once the command's options are read. */
let catalog = providerCatalog();

const program = new Command('face-webhooks')
  .description('Send and verify webhooks of face-biometric and identity-verification providers, and your own')
  .option('--dotenv <file>', 'read the secrets (and other variables) not already set from this .env file')
  .option(
    '--providers <module>',
    'also use the providers (defineFaceWebhookProvider) this ES module exports, e.g. dist/acme/acme.definition.js; repeatable',
    (module: string, previous: string[]) => [...previous, module],
    [] as string[],
  )
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .hook('preAction', async () => {
    const { dotenv, providers } = program.opts<{ dotenv?: string; providers?: string[] }>();
    if (dotenv) loadEnvFile(dotenv);
    if (providers && providers.length > 0) catalog = providerCatalog(await loadProviders(providers));
  });

program
  .command('list')
  .description('print every event type that can be sent, per provider')
  .action(() => {
    for (const [name, { title, testing }] of catalog) {
      const flag = testing.secretFlag ?? '--secret';
      console.log(`${name}: ${title} (${testing.secretEnv ? `${flag}, or ${testing.secretEnv}` : flag})`);
      for (const type of testing.types) console.log(`  ${name}.${type}`);
    }
  });

program
  .command('send')
  .description('build a realistic event of <type>, sign it as its provider does, and POST it')
  .argument(
    '<type>',
    'event type, e.g. faceio.ENROLL, facesign.media.user_photo, idaas.face.biometric.created',
  )
  .option('--url <endpoint>', 'where to POST (default http://localhost:3000/webhooks/<provider>)')
  .option('--secret <secret>', "the provider's secret (default from the environment or --dotenv)")
  .option('--token <token>', 'the same as --secret, the name FACEIO gives its secret')
  .option('--set <path=value...>', 'change a body field, e.g. --set facialId=f1 details.age=41', [])
  .addOption(
    new Option('--repeat <n>', 'send the same delivery n times').argParser(positiveInteger).default(1),
  )
  .option('--duplicate', 'send the same delivery twice (as a provider retry would)')
  .action(async (fullType: string, options: SendOptions) => {
    process.exitCode = await send(fullType, options);
  });

program
  .command('verify')
  .description(
    'check a captured raw request (request line, headers, blank line, body) and list every reason it would be refused',
  )
  .requiredOption(
    '--provider <provider>',
    'who sent it: a provider `list` shows (faceio, idaas, sumsub, ...)',
  )
  .requiredOption('--request <file>', 'file holding the captured request')
  .option('--secret <secret>', "the provider's secret (default from the environment or --dotenv)")
  .option('--token <token>', 'the same as --secret, the name FACEIO gives its secret')
  .option('--url <url>', 'the public URL it was posted to (IDaaS signs it); default https://<Host><path>')
  .addOption(
    new Option('--at <unix-seconds>', 'check the time window as of this time').argParser(positiveInteger),
  )
  .action((options: SecretOptions & { provider: string; request: string; url?: string; at?: number }) => {
    const provider = catalog.get(options.provider);
    if (!provider) {
      throw new UsageError(
        `unknown provider "${options.provider}": one of ${[...catalog.keys()].join(', ')}`,
      );
    }
    const secret = secretOf(provider, options);
    let file: Buffer;
    try {
      file = readFileSync(options.request);
    } catch {
      throw new UsageError(`cannot read --request ${options.request}`);
    }
    const request = parseCapturedRequest(file);
    const problems = verifyCapturedRequest({
      provider,
      secret,
      request,
      url: options.url,
      atSeconds: options.at,
    });
    if (problems.length === 0) {
      console.log(`valid: the ${options.provider} module would accept this request`);
      return;
    }
    for (const problem of problems) console.log(`refused: ${problem}`);
    process.exitCode = 1;
  });

/** `--secret` and `--token`: two names for the provider's secret (FACEIO calls its own a token). */
interface SecretOptions {
  secret?: string;
  token?: string;
}

/**
 * The secret `send` signs with and `verify` checks with: the flag, else the provider's variable
 * (`testing.secretEnv`) from the environment, else from the `--dotenv` file (loaded into the
 * environment before any command runs, without overriding it).
 */
function secretOf(provider: CatalogProvider, options: SecretOptions): string {
  const { name, testing } = provider;
  const flag = testing.secretFlag ?? '--secret';
  const given = flag === '--token' ? (options.token ?? options.secret) : (options.secret ?? options.token);
  const secret = given ?? (testing.secretEnv ? process.env[testing.secretEnv] : undefined);
  if (!secret) {
    throw new UsageError(
      testing.secretEnv
        ? `${name} needs ${flag} (or ${testing.secretEnv} in the environment or the --dotenv file)`
        : `${name} needs ${flag}`,
    );
  }
  // What the module would refuse at startup (a Standard secret that is not whsec_<base64>).
  const problems = provider.validateOptions(testing.options(secret), true);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return secret;
}

interface SendOptions extends SecretOptions {
  url?: string;
  set: string[];
  repeat: number;
  duplicate?: boolean;
}

async function send(fullType: string, options: SendOptions): Promise<number> {
  const parsed = parseEventType(fullType, catalog);
  if (!parsed) throw new UsageError(`unknown event type "${fullType}": run \`face-webhooks list\``);
  const { name } = parsed.provider;
  const secret = secretOf(parsed.provider, options);
  const url = options.url ?? `http://localhost:3000/webhooks/${name}`;
  const delivery = signedDelivery(parsed.provider, parsed.type, secret, url, options.set);

  let failed = false;
  const times = options.duplicate ? Math.max(2, options.repeat) : options.repeat;
  for (let attempt = 1; attempt <= times; attempt++) {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      console.error(`could not reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
      return 3;
    }
    const text = await response.text();
    const ms = (performance.now() - started).toFixed(1);
    console.log(`${fullType} -> POST ${url}: ${response.status} ${response.statusText} in ${ms} ms`);
    console.log(`  ${text}`);
    failed ||= !response.ok;
  }
  return failed ? 1 : 0;
}

/** The provider definitions the modules at `paths` export (each checked to be one). */
async function loadProviders(paths: readonly string[]): Promise<CatalogProvider[]> {
  const found: CatalogProvider[] = [];
  for (const path of paths) {
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`cannot load --providers ${path}: ${(error as Error).message.split('\n')[0]}`);
    }
    const definitions = Object.values(exports).filter(isFaceWebhookProviderDefinition);
    if (definitions.length === 0)
      throw new UsageError(`--providers ${path} exports no defineFaceWebhookProvider()`);
    found.push(...(definitions as unknown as CatalogProvider[]));
  }
  return found;
}

/** Sets the variables of a .env file that the environment does not already have (the environment wins). */
function loadEnvFile(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read --dotenv ${path}`);
  }
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (process.env[name] === undefined) process.env[name] = value;
  }
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`"${value}" is not a positive whole number`);
  return number;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    console.error(`face-webhooks: ${error.message}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
