import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, as `bin` ships it (built by `npx tsc -b`). */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** A stack trace line: what a user of the CLI must never see. */
export const STACK = /^\s+at .+:\d+/m;

/** Throws, naming the command to run, when the CLI has not been built. */
export function assertCliBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` at the repository root first`);
}

/** Runs the CLI to completion against the database `databaseEnv` selects, silently logging. */
export function runCli(
  databaseEnv: Record<string, string>,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...databaseEnv, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
