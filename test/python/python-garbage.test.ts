// Cross-layer test (agent -> .pyheap -> reader -> analysis): on every CPython 3.8-3.13 pyenv has, the predicted
// garbage equals what a real gc.collect() collects (ids saved by DEBUG_SAVEALL), and a dump disturbs nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { readPyheap, readPyheapWithHeader } from '../../src/formats/pyheap/read-pyheap.js';
import { pythonRepr } from '../../src/formats/pyheap/python-repr.js';
import { computePythonGarbage, GarbageFlag } from '../../src/analyses/python-unreachable.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import { EdgeKind } from '../../src/store/kinds.js';
import { findInterpreters, inPairs, noInterpreterMessage, runScenarios, type Interpreter } from './interpreters.js';
import { edgeKindOf, edgeNameOf } from '../../src/store/edge-packing.js';

const interpreters = findInterpreters();

function collectedIds(store: GraphStore): Set<number> {
  const result = computePythonGarbage(store);
  const ids = new Set<number>();
  for (let o = 0; o < store.nodeCount; o++) if (result.collected[o]) ids.add(store.nodeId[o]!);
  return ids;
}

function describe(store: GraphStore, ids: Iterable<number>): string {
  const names: string[] = [];
  for (const id of ids) {
    const o = store.nodeId.indexOf(id);
    names.push(o < 0 ? `${id} (not in snapshot)` : `${store.strings.get(store.nodeName[o]!)} ${store.strings.get(store.python!.repr[o]!).slice(0, 80)}`);
  }
  return names.join('; ');
}

function hasEdgeNamed(store: GraphStore, name: string): boolean {
  for (let e = 0; e < store.edgeCount; e++) {
    if (edgeKindOf(store, e) === EdgeKind.internal && store.strings.get(edgeNameOf(store, e)) === name) return true;
  }
  return false;
}

async function checkInterpreter(interpreter: Interpreter): Promise<string[]> {
  const { out, result } = await runScenarios(interpreter, ['truth']);
  const failures: string[] = [];
  try {
    for (const [name, scenario] of Object.entries<{ path: string; ids: number[]; collect: number }>(result.scenarios)) {
      const store = await readPyheap(scenario.path);
      const predicted = collectedIds(store);
      const truth = new Set(scenario.ids);
      const missing = [...truth].filter((id) => !predicted.has(id));
      const extra = [...predicted].filter((id) => !truth.has(id));
      if (missing.length > 0 || extra.length > 0) {
        failures.push(`${interpreter.version} ${name}: missing [${describe(store, missing)}] extra [${describe(store, extra)}]`);
      }
      const minor = Number(interpreter.version.split('.')[1]);
      if (name === 'locals_puzzle' && hasEdgeNamed(store, 'f_locals (cached by locals())') !== minor <= 12) {
        failures.push(`${interpreter.version} ${name}: the dict locals() caches on a frame is ${minor <= 12 ? 'not labelled' : 'labelled on 3.13+'}`);
      }
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  return failures;
}

test('predicted garbage equals the real collector on every scenario and interpreter', { timeout: 600_000 }, async (t) => {
  if (interpreters.length === 0) return t.skip(noInterpreterMessage);
  const failures = (await inPairs(interpreters, checkInterpreter)).flat();
  assert.deepEqual(failures, [], failures.join('\n'));
  t.diagnostic(`checked ${interpreters.map((i) => i.version).join(', ')}`);
});

test('a dump leaves gc state, gc.garbage, refcounts, referents and the next collection unchanged', { timeout: 300_000 }, async (t) => {
  if (interpreters.length === 0) return t.skip(noInterpreterMessage);
  await inPairs(interpreters, async (interpreter) => {
    const { out, result } = await runScenarios(interpreter, ['undisturbed']);
    try {
      const where = `on ${interpreter.version}`;
      assert.deepEqual(result.after.state, result.before.state, `gc state ${where}`);
      assert.ok(result.before.state.garbage > 0, `the zombies stay in gc.garbage ${where}`);
      assert.deepEqual(result.after.refcounts, result.before.refcounts, `refcounts of sample objects ${where}`);
      assert.deepEqual(result.after.referents, result.before.referents, `no __dict__ materialised ${where}`);
      assert.equal(result.after.trackedAroundDump, result.before.trackedAroundDump, `tracked object count around the dump ${where}`);
      assert.deepEqual(result.withDump, result.withoutDump, `the next collection ${where}`);
      const { header } = await readPyheapWithHeader(`${out}/undisturbed.pyheap`);
      assert.deepEqual(header.gc?.threshold, [555, 7, 9], `header records thresholds ${where}`);
      assert.equal(header.gc?.garbageCount, result.before.state.garbage, `header records gc.garbage ${where}`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

test('hostile __repr__ methods cannot break a dump, and reprs can be limited or switched off', { timeout: 120_000 }, async (t) => {
  if (interpreters.length === 0) return t.skip(noInterpreterMessage);
  const interpreter = interpreters[interpreters.length - 1]!;
  const { out, result } = await runScenarios(interpreter, ['hostile']);
  try {
    const reprsOf = (store: GraphStore) =>
      (result.ids as number[]).map((id) => store.strings.get(store.python!.repr[store.nodeId.indexOf(id)]!));
    const user = reprsOf(await readPyheap(result.paths.user));
    assert.match(user[0]!, /repr raised RuntimeError/);
    assert.ok(user[1]!.length <= 200, 'huge repr is truncated');
    assert.match(user[2]!, /repr raised RecursionError/);
    assert.match(user[3]!, /repr raised SystemExit/);
    assert.match(user[4]!, /repr raised TypeError/);
    // Default reprs are left out of the file (index 0); pythonRepr rebuilds them from type and id.
    for (const r of reprsOf(await readPyheap(result.paths.builtin))) assert.equal(r, '');
    const builtin = await readPyheap(result.paths.builtin);
    assert.match(pythonRepr(builtin, builtin.nodeId.indexOf(result.ids[0])), /^<__main__\.Hostile object at 0x[0-9a-f]+>$/);
    for (const r of reprsOf(await readPyheap(result.paths.none))) assert.equal(r, '');
    const gz = await readPyheap(result.paths.gzip);
    assert.ok(gz.nodeCount > 1000, 'the gzip snapshot loads');
    const garbage = computePythonGarbage(gz);
    for (const id of result.ids as number[]) {
      assert.equal(garbage.garbageFlags[gz.nodeId.indexOf(id)]! & GarbageFlag.collected, 0, 'kept objects are not garbage');
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
