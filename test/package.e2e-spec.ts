import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libDir, NPM_INSTALL, packLibrary, run, versionOf } from './support/packed-library.js';

// Proves the published package is real: `npm pack` it, install the tarball into a fresh Nest app
// outside the workspace (its own node_modules, only registry packages beside it), compile that app
// against the package's published types, boot it and deliver one event over HTTP.
const APP_SOURCE = `import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FaceWebhooksModule, OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';

@Injectable()
class EnrollHandler {
  readonly seen: string[] = [];
  @OnFaceEvent('faceio.ENROLL')
  onEnroll(event: FaceEventOf<'faceio.ENROLL'>): void {
    this.seen.push(event.data.facialId);
  }
}

@Module({ imports: [FaceWebhooksModule.forRoot({ faceio: { token: 'pack-token' } })], providers: [EnrollHandler] })
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const signed = signFaceioRequest({ token: 'pack-token', body: faceioFixture('ENROLL', { facialId: 'packed' }) });
const response = await fetch(\`\${await app.getUrl()}/webhooks/faceio\`, { method: 'POST', headers: signed.headers, body: signed.body });
console.log(JSON.stringify({ status: response.status, seen: app.get(EnrollHandler).seen }));
await app.close();
`;

// The app's OpenTelemetry SDK, started before the app as the README says, with an exporter that
// keeps span names and Prometheus metrics read through the exporter's own handler.
const OTEL_SOURCE = `import { createServer } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

const spans = [];
const prometheus = new PrometheusExporter({ preventServerStart: true });
const sdk = new NodeSDK({
  metricReaders: [prometheus],
  traceExporter: {
    export(batch, done) {
      for (const span of batch) spans.push(span.name);
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  },
});
sdk.start();
await import('./dist/main.js'); // boots the app, delivers one event, closes the app
const server = createServer((req, res) => prometheus.getMetricsRequestHandler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const text = await (await fetch(\`http://127.0.0.1:\${server.address().port}/metrics\`)).text();
server.close();
await sdk.shutdown(); // flushes the spans
console.log(JSON.stringify({ series: text.split('\\n').filter((line) => line.startsWith('face_webhooks_')), spans }));
`;

describe('the packed nestjs-face-webhooks tarball', () => {
  let workDir: string;
  let appDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'face-webhooks-pack-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('installs into a fresh Nest app, compiles against its types, boots and handles a delivery', () => {
    const tarball = packLibrary(workDir);
    // What it ships: no source maps pointing at sources it does not ship; where it comes from.
    const [packed] = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], libDir)) as {
      files: { path: string }[];
    }[];
    const shipped = packed!.files.map((file) => file.path);
    expect(shipped.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(shipped).toContain('bin/face-webhooks.js');
    const manifest = JSON.parse(readFileSync(join(libDir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      repository: { url: expect.stringContaining('github.com') },
      homepage: expect.any(String),
      bugs: { url: expect.any(String) },
    });

    appDir = join(workDir, 'app');
    run('mkdir', ['-p', join(appDir, 'src')], workDir);
    const peers = [
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/platform-express',
      '@nestjs/event-emitter',
      'class-validator',
      'class-transformer',
      'reflect-metadata',
      'rxjs',
    ];
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({
        name: 'throwaway-app',
        private: true,
        type: 'module',
        dependencies: {
          'nestjs-face-webhooks': `file:../${tarball}`,
          ...Object.fromEntries(peers.map((pkg) => [pkg, `^${versionOf(pkg)}`])),
        },
        devDependencies: {
          typescript: `~${versionOf('typescript')}`,
          '@types/node': `^${versionOf('@types/node')}`,
        },
      }),
    );
    writeFileSync(
      join(appDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          rootDir: 'src',
          outDir: 'dist',
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    writeFileSync(join(appDir, 'src/main.ts'), APP_SOURCE);

    run('npm', NPM_INSTALL, appDir);
    // One Nest for everything: the package's peer ranges must not pull in a second copy.
    const nestCores = run('find', ['node_modules', '-path', '*/@nestjs/core/package.json'], appDir)
      .trim()
      .split('\n');
    expect(nestCores).toEqual(['node_modules/@nestjs/core/package.json']);

    run(join(appDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], appDir);
    const output = run('node', ['dist/main.js'], appDir).trim().split('\n').at(-1)!;
    expect(JSON.parse(output)).toEqual({ status: 200, seen: ['packed'] });

    // The CLI is a bin of the package, and `npx face-webhooks` (as the README writes it) finds it.
    expect(run('npx', ['--no-install', 'face-webhooks', 'list'], appDir)).toContain(
      'idaas.face.biometric.created',
    );
  }, 300_000);

  it('reports metrics and spans to the OpenTelemetry SDK that npm installs beside it', () => {
    expect(existsSync(join(appDir, 'dist/main.js'))).toBe(true); // the app of the test above
    // No versions: whatever npm picks for this Node (on Node 20 an older SDK on an older API).
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '@opentelemetry/sdk-node',
        '@opentelemetry/exporter-prometheus',
      ],
      appDir,
    );
    // One API for the app's SDK and the library: a second copy would record nowhere.
    const apis = run('find', ['node_modules', '-path', '*/@opentelemetry/api/package.json'], appDir)
      .trim()
      .split('\n');
    expect(apis).toEqual(['node_modules/@opentelemetry/api/package.json']);
    writeFileSync(join(appDir, 'otel-main.mjs'), OTEL_SOURCE);
    const output = run('node', ['otel-main.mjs'], appDir).trim().split('\n');
    expect(JSON.parse(output.at(-2)!)).toEqual({ status: 200, seen: ['packed'] });
    const { series, spans } = JSON.parse(output.at(-1)!) as { series: string[]; spans: string[] };
    expect(series).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^face_webhooks_deliveries_total\{.*provider="faceio".*\} 1/),
      ]),
    );
    expect(spans).toContain('face_webhooks.delivery');
  }, 300_000);
});
