import { execFile } from 'node:child_process';

/** The face-webhooks CLI of the built package (`npm test` builds it first). */
export const CLI = 'libs/face-webhooks/dist/cli/main.js';

/** Runs the CLI as a user runs it, with nothing of this process's environment but PATH. */
export function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWithEnv({}, ...args);
}

/** {@link cli} with these variables in its environment too. */
export function cliWithEnv(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
