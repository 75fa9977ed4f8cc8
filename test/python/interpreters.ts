// Test support (cross-layer, test/python): find the CPython 3.8-3.13 interpreters pyenv provides, and run
// scenarios.py in them. Tests skip with a message when none is installed.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const agentDir = join(repoRoot, 'src', 'agent');
export const scenariosPath = join(repoRoot, 'test', 'python', 'scenarios.py');

export interface Interpreter {
  readonly version: string;
  readonly path: string;
}

function pyenvRoot(): string | null {
  if (process.env.PYENV_ROOT) return existsSync(process.env.PYENV_ROOT) ? process.env.PYENV_ROOT : null; // set = authoritative
  const home = process.env.HOME ?? '';
  for (const candidate of [join(home, '.pyenv'), '/root/.pyenv']) if (existsSync(candidate)) return candidate;
  return null;
}

/** Every pyenv CPython 3.8-3.13 with a python3 binary, oldest first; without pyenv, a python3 on PATH in that range. */
export function findInterpreters(): Interpreter[] {
  const root = pyenvRoot();
  if (root === null || !existsSync(join(root, 'versions'))) return pathInterpreter();
  const found: Interpreter[] = [];
  for (const version of readdirSync(join(root, 'versions'))) {
    const match = /^3\.(\d+)\.\d+$/.exec(version);
    if (!match || Number(match[1]) < 8 || Number(match[1]) > 13) continue;
    const path = join(root, 'versions', version, 'bin', 'python3');
    if (existsSync(path)) found.push({ version, path });
  }
  return found.sort((a, b) => Number(a.version.split('.')[1]) - Number(b.version.split('.')[1]));
}

function pathInterpreter(): Interpreter[] {
  try {
    const version = execFileSync('python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', timeout: 10_000 }).trim();
    const minor = Number(/^3\.(\d+)\./.exec(version)?.[1] ?? 0);
    return minor >= 8 && minor <= 13 ? [{ version, path: 'python3' }] : [];
  } catch {
    return [];
  }
}

export const noInterpreterMessage = 'no CPython 3.8-3.13 found (pyenv, or python3 on PATH): Python correctness tests skipped';

/** Run scenarios.py in `interpreter` with a fresh output folder; resolves with its parsed JSON stdout. */
export async function runScenarios(interpreter: Interpreter, args: string[]): Promise<{ out: string; result: any }> {
  const out = await mkdtemp(join(tmpdir(), `gcsh-py${interpreter.version}-`));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(interpreter.path, [scenariosPath, agentDir, out, ...args], { maxBuffer: 64 << 20, timeout: 180_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${interpreter.path} scenarios.py ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    return { out, result: JSON.parse(stdout) };
  } catch (error) {
    // The caller removes `out` once it has read the dumps; when there is nothing to read, it is removed here.
    await rm(out, { recursive: true, force: true });
    throw error;
  }
}

/** Run `work` over items, at most `limit` at a time (the machine has two cores). */
export async function inPairs<T, R>(items: readonly T[], work: (item: T) => Promise<R>, limit = 2): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(runners);
  return results;
}
