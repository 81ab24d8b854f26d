import { spawn } from 'node:child_process';

/** An app started with `npm start`, as a reader starts it. */
export interface StartedApp {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code once it exited by itself, else `null`. */
  exitCode(): number | null;
  /** Stops npm and the app it started (SIGTERM to the process group), and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Runs `npm start` in `cwd` with `PORT`, in a process group of its own so that stopping it stops
 * node too. The test runner's own variables (its Node flags, its worker id) are left out.
 */
export function npmStart(cwd: string, port: number, env: NodeJS.ProcessEnv = {}): StartedApp {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port) };
  delete childEnv.NODE_OPTIONS;
  delete childEnv.JEST_WORKER_ID;
  const child = spawn('npm', ['start'], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    output: () => output,
    exitCode: () => child.exitCode,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
