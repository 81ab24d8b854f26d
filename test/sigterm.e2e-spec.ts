import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import { ADAPTERS } from './support/create-app.js';
import { waitFor } from './support/wait-for.js';

// A real process (fixtures/shutdown-app.mjs, with app.enableShutdownHooks()) gets SIGTERM while a
// delivery is being handled: it must refuse new deliveries with 503, finish the one in flight with
// 200, and then exit.
describe.each(ADAPTERS)('SIGTERM (%s)', (adapter) => {
  it('drains: new deliveries get 503, the one in flight completes, then the process exits', async () => {
    const child = spawn(process.execPath, ['test/fixtures/shutdown-app.mjs'], {
      env: { ...process.env, NODE_OPTIONS: '', SLOW_MS: '1500', ADAPTER: adapter },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor('the app to listen', () => output.includes('listening'), 20_000);
      const url = `${/listening (\S+)/.exec(output)![1]!.replace('[::1]', '127.0.0.1')}/webhooks/faceio`;
      const send = (facialId: string) => {
        const signed = signFaceioRequest({
          token: 'shutdown-token',
          body: faceioFixture('ENROLL', { facialId }),
        });
        return fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
      };

      const inFlight = send('in-flight');
      await waitFor('the handler to start', () => output.includes('handling'), 10_000);
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));

      const late = await send('after-sigterm');
      expect(late.status).toBe(503);
      expect(late.headers.get('retry-after')).toBe('5');
      expect((await inFlight).status).toBe(200);
      const [code] = await once(child, 'exit');
      expect(code === 0 || code === null).toBe(true);
      expect(output).toContain('handled');
      expect(output.match(/handling/g)).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
