import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { FaceWebhooksModule } from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { waitFor } from './support/wait-for.js';

// A real worker process (the built package, see fixtures/queue-worker.mjs) is killed with SIGKILL
// in the middle of a job; another worker must run the job again and complete it, without running
// again the handler that had finished before the kill.
describe.each(ADAPTERS)('a queue worker killed mid-job (%s)', (adapter) => {
  const keyPrefix = `crash-${randomUUID()}:`;
  const redis = new Redis(process.env.REDIS_URL!);
  const workers: ChildProcess[] = [];

  const startWorker = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['test/fixtures/queue-worker.mjs'], {
      env: { ...process.env, NODE_OPTIONS: '', KEY_PREFIX: keyPrefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workers.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the worker process to start', () => output.includes('worker ready'), 20_000);
    return child;
  };

  afterAll(async () => {
    for (const child of workers) if (child.exitCode === null) child.kill('SIGKILL');
    await redis.quit();
  });

  it('runs the job again on another worker: the unfinished handler completes once, the finished one is not rerun', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          queue: { workers: false }, // this instance only receives
          faceio: { token: 'crash-token' },
          redis: process.env.REDIS_URL!,
          redisKeyPrefix: keyPrefix,
          deduplicationStore: 'redis',
        }),
      ],
    });
    try {
      const first = await startWorker();
      const signed = signFaceioRequest({
        token: 'crash-token',
        body: faceioFixture('ENROLL', { facialId: 'crash-1' }),
      });
      const id = createHash('sha256').update(signed.body).digest('hex');
      expect(
        (await request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body))
          .status,
      ).toBe(202);

      const attempts = async () => Number(await redis.get(`${keyPrefix}attempts:${id}`));
      await waitFor(
        'the first worker to hang in the job',
        async () => (await redis.get(`${keyPrefix}hanging:${id}`)) === '1',
        15_000,
      );
      expect(await attempts()).toBe(1);
      expect(await redis.get(`${keyPrefix}quick:${id}`)).toBe('1');
      first.kill('SIGKILL');
      await once(first, 'exit');

      await startWorker();
      await waitFor(
        'the job to complete on the second worker',
        async () => (await redis.get(`${keyPrefix}handled:${id}`)) === '1',
        20_000,
      );
      expect(await attempts()).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await redis.get(`${keyPrefix}handled:${id}`)).toBe('1');
      // The handler that had finished before the kill was not run again.
      expect(await redis.get(`${keyPrefix}quick:${id}`)).toBe('1');
    } finally {
      await app.close();
    }
  }, 60_000);
});
