// Cross-layer test (agent -> .pyheap -> gcsh batch output): on every CPython 3.8-3.13 pyenv has, each edge of objects
// with known references is named by its real index, key, attribute or variable (labels.py computes them from the
// real containers), as `gcsh --json -e "referents REF"` shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentDir, findInterpreters, inPairs, noInterpreterMessage, repoRoot, type Interpreter } from './interpreters.js';
import { jsonLines, runGcsh } from '../support/run-gcsh.js';

const interpreters = findInterpreters();
const labelsScript = join(repoRoot, 'test', 'python', 'labels.py');

interface LabelCase {
  readonly name: string;
  readonly ref: string;
  readonly exact: boolean;
  readonly expect: [string, number][];
}

function runLabels(interpreter: Interpreter, out: string): Promise<{ path: string; cases: LabelCase[] }> {
  return new Promise((resolve, reject) => {
    execFile(interpreter.path, [labelsScript, agentDir, out], { maxBuffer: 64 << 20, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${interpreter.path} labels.py failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

const show = (pairs: readonly (readonly [string, number])[]) => pairs.map(([label, id]) => `${label} → 0x${id.toString(16)}`).join(', ');

/** What is wrong with one object's referents, or null. */
function mismatch(item: LabelCase, referents: { edge: string; id: number }[]): string | null {
  const actual = referents.map((r) => [r.edge, r.id] as const);
  const remaining = item.expect.map(([label, id]) => `${label}\u0000${id}`);
  const labels = new Set(item.expect.map(([label]) => label));
  const targets = new Set(item.expect.map(([, id]) => id));
  const wrong: (readonly [string, number])[] = [];
  for (const [label, id] of actual) {
    const at = remaining.indexOf(`${label}\u0000${id}`);
    if (at >= 0) remaining.splice(at, 1);
    else if (item.exact || labels.has(label) || targets.has(id)) wrong.push([label, id]);
  }
  if (wrong.length === 0 && remaining.length === 0) return null;
  return `expected ${show(item.expect)}; got ${show(actual)}`;
}

async function checkInterpreter(interpreter: Interpreter): Promise<string[]> {
  const out = await mkdtemp(join(tmpdir(), `gcsh-labels-${interpreter.version}-`));
  try {
    const { path, cases } = await runLabels(interpreter, out);
    const script = cases.map((c) => `referents ${c.ref} --limit 1000`).join('; ');
    const run = runGcsh([path, '--json', '-e', script]);
    assert.equal(run.status, 0, run.stderr);
    const results = jsonLines(run.stdout).filter((line) => line.command === 'referents');
    assert.equal(results.length, cases.length, `one result per case on ${interpreter.version}`);
    const failures: string[] = [];
    cases.forEach((item, i) => {
      const result = results[i]!;
      const problem = result.ok ? mismatch(item, result.referents) : `referents failed: ${JSON.stringify(result)}`;
      if (problem !== null) failures.push(`${interpreter.version} ${item.name}: ${problem}`);
    });
    return failures;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

test('every edge is named by its real index, key, attribute or variable on every CPython', { timeout: 600_000 }, async (t) => {
  if (interpreters.length === 0) return t.skip(noInterpreterMessage);
  const failures = (await inPairs(interpreters, checkInterpreter)).flat();
  assert.equal(failures.length, 0, failures.join('\n'));
  t.diagnostic(`checked ${interpreters.map((i) => i.version).join(', ')}`);
});
