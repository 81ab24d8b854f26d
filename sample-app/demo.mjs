// npm run demo: starts the sample app, sends one event of each provider to it with the
// face-webhooks CLI (signed with the dev secrets of .env.example), then prints GET /face-events.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const env = { ...process.env };
for (const line of readFileSync(new URL('./.env.example', import.meta.url), 'utf8').split('\n')) {
  const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
  if (match && env[match[1]] === undefined) env[match[1]] = match[2];
}
env.PORT = process.env.DEMO_PORT ?? '3057';
const base = `http://localhost:${env.PORT}`;

const app = spawn(process.execPath, ['dist/sample-app/main.js'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
app.stdout.on('data', (chunk) => (output += chunk));
try {
  const deadline = Date.now() + 20_000;
  while (!output.includes('Listening on')) {
    if (app.exitCode !== null || Date.now() > deadline)
      throw new Error(`the sample app did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(`sample app running on ${base}\n`);
  const types = [
    'faceio.ENROLL',
    'facesign.session.status',
    'idaas.face.biometric.created',
    'stripe-identity.identity.verification_session.verified',
    // The app's own provider: the CLI loads its definition from the compiled sample app.
    'liveness.check.passed',
  ];
  const ownProviders = ['--providers', 'dist/sample-app/liveness/liveness.definition.js'];
  for (const type of types) {
    const provider = type.split('.')[0];
    const result = spawnSync(
      process.execPath,
      [
        'libs/face-webhooks/dist/cli/main.js',
        ...ownProviders,
        'send',
        type,
        '--url',
        `${base}/webhooks/${provider}`,
      ],
      { env, encoding: 'utf8' },
    );
    process.stdout.write(result.stdout + result.stderr);
    if (result.status !== 0) throw new Error(`face-webhooks send ${type} exited with ${result.status}`);
  }
  const events = await (await fetch(`${base}/face-events`)).json();
  console.log(`\nGET ${base}/face-events\n${JSON.stringify(events, null, 2)}`);
  console.log('\nThe demo app has stopped. `npm start` runs it on http://localhost:3000 (OpenAPI at /docs).');
} finally {
  app.kill('SIGTERM');
}
