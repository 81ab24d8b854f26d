import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { FACE_EVENTS_QUEUE } from 'nestjs-face-webhooks/queue';

// Teams that already run Bull Board see the webhook queue in it: the queue is registered under
// @nestjs/bullmq's token for its name, which BullBoardModule.forFeature looks up. The app runs in a
// child process (see the fixture for why), with the built package.
describe('Bull Board', () => {
  it('finds the face-events queue with BullBoardModule.forFeature and shows it, to operators only', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['test/fixtures/bull-board-app.mjs'],
        {
          env: { ...process.env, NODE_OPTIONS: '', KEY_PREFIX: `bull-board-${randomUUID()}:` },
          timeout: 30_000,
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({
      anonymous: 401,
      status: 200,
      queues: [FACE_EVENTS_QUEUE],
    });
  });
});
