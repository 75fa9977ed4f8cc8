// Layer 8 (cli): files shipped inside the package — the Python agent, package.json, demo snapshots — found relative
// to this module so they work from a clone, an npm install, or npx.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root (the folder holding package.json): dist/cli/ or src/cli/ are two levels down. */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** Absolute path of the stdlib-only Python agent. */
export function agentPath(): string {
  return fileURLToPath(new URL('../../src/agent/gcsh_agent.py', import.meta.url));
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
