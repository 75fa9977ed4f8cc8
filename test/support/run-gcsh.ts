// Test support: run the real gcsh binary (bin/gcsh.js over dist/) as a user would, with piped stdio.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const gcshBin = fileURLToPath(new URL('../../bin/gcsh.js', import.meta.url));

export interface GcshRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runGcsh(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): GcshRun {
  const result = spawnSync(process.execPath, [gcshBin, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    timeout: 180_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Parse JSON Lines output, failing loudly on any line that is not JSON. */
export function jsonLines(text: string): Record<string, any>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}
