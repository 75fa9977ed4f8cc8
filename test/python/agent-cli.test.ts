// Cross-layer test: gcsh_agent.py's command line (dump when the script ends, on a signal, after a crash) and
// install_signal(), read back through readPyheap on the oldest and newest interpreters present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPyheap } from '../../src/formats/pyheap/read-pyheap.js';
import { pythonRepr } from '../../src/formats/pyheap/python-repr.js';
import { computePythonGarbage } from '../../src/analyses/python-unreachable.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { agentDir, findInterpreters, noInterpreterMessage, type Interpreter } from './interpreters.js';

const all = findInterpreters();
const interpreters = all.length > 1 ? [all[0]!, all[all.length - 1]!] : all;
const agent = join(agentDir, 'gcsh_agent.py');

function run(interpreter: Interpreter, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(interpreter.path, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function garbageTypes(store: GraphStore): string[] {
  const result = computePythonGarbage(store);
  return [...result.garbageOrder].map((o) => store.strings.get(store.nodeName[o]!));
}

const seedScript = `
import sys
class A(object):
    def __init__(self):
        self.ref = self
A()
print("args", sys.argv[1:])
`;

test('the CLI runs a script as __main__ and dumps when it ends', { timeout: 120_000 }, async (t) => {
  if (interpreters.length === 0) return t.skip(noInterpreterMessage);
  for (const interpreter of interpreters) {
    const dir = mkdtempSync(join(tmpdir(), 'gcsh-cli-'));
    try {
      writeFileSync(join(dir, 'app.py'), seedScript);
      const { code, stdout, stderr } = await run(interpreter, [agent, 'dump', 'app.pyheap', '--', 'app.py', 'x', 'y'], dir);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /args \['x', 'y'\]/);
      const store = await readPyheap(join(dir, 'app.pyheap'));
      assert.ok(garbageTypes(store).includes('__main__.A'), `the seed's A is garbage on ${interpreter.version}`);
      const modules = [];
      for (let o = 0; o < store.nodeCount; o++) if (store.strings.get(store.nodeName[o]!) === 'module') modules.push(pythonRepr(store, o));
      assert.equal(modules.filter((m) => m === "<module '__main__'>").length, 1, 'only the script is __main__');
      assert.ok(modules.includes("<module 'gcsh_agent'>"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
});

test('the CLI dumps on a signal and still dumps after the script raises', { timeout: 120_000 }, async (t) => {
  if (interpreters.length === 0) return t.skip(noInterpreterMessage);
  const interpreter = interpreters[interpreters.length - 1]!;
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-cli-'));
  try {
    writeFileSync(
      join(dir, 'app.py'),
      `import os, signal, time\nos.kill(os.getpid(), signal.SIGUSR1)\ntime.sleep(0.05)\nprint("dumped" if os.path.exists("app.pyheap") else "missing")\nraise RuntimeError("crash")\n`,
    );
    const { code, stdout, stderr } = await run(interpreter, [agent, 'dump', 'app.pyheap', '--signal', 'USR1', '--', 'app.py'], dir);
    assert.match(stdout, /dumped/, 'the signal wrote the snapshot while the script ran');
    assert.equal(code, 1, 'the crash sets the exit status');
    assert.match(stderr, /RuntimeError: crash/);
    const store = await readPyheap(join(dir, 'app.pyheap'));
    assert.ok(store.nodeCount > 100);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('install_signal numbers its dumps and usage errors exit with status 2', { timeout: 120_000 }, async (t) => {
  if (interpreters.length === 0) return t.skip(noInterpreterMessage);
  const interpreter = interpreters[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-cli-'));
  try {
    const script = `import os, signal, sys\nsys.path.insert(0, ${JSON.stringify(agentDir)})\nimport gcsh_agent\ngcsh_agent.install_signal(signal.SIGUSR2, "snap-{n}.pyheap")\nos.kill(os.getpid(), signal.SIGUSR2)\nos.kill(os.getpid(), signal.SIGUSR2)\n`;
    writeFileSync(join(dir, 'numbered.py'), script);
    const { code, stderr } = await run(interpreter, ['numbered.py'], dir);
    assert.equal(code, 0, stderr);
    assert.ok(existsSync(join(dir, 'snap-1.pyheap')) && existsSync(join(dir, 'snap-2.pyheap')));
    const usage = await run(interpreter, [agent, 'dump'], dir);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage: gcsh_agent.py dump OUT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
