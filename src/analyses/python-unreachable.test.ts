// Tests for computePythonGarbage on tiny hand-made Python stores with known answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../store/graph-builder.js';
import type { GraphStore } from '../store/graph-store.js';
import { PyFlag } from '../store/graph-store.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { computePythonGarbage, GarbageFlag, generatorCreatedFlag, generatorSuspendedFlag, legacyFinalizerFlag } from './python-unreachable.js';

interface PyNode {
  name: string;
  refcount: number;
  flags?: number;
}

/**
 * A Python store from `nodes` (ordinal 1.. in order; 0 is the root) and edges 'a->b' (strong) or 'a~>b' (weak), by
 * node name. Node ids are 100 + ordinal.
 */
function pyStore(nodes: PyNode[], edges: string[], version = '3.12.1'): { store: GraphStore; ord: (name: string) => number } {
  const builder = new GraphBuilder();
  builder.addNode({ kind: NodeKind.synthetic, name: '(python roots)', id: 0, selfSize: 0 });
  const ordinals = new Map<string, number>();
  for (const node of nodes) ordinals.set(node.name, builder.addNode({ kind: NodeKind.object, name: node.name, id: 100 + ordinals.size + 1, selfSize: 10 }));
  const ord = (name: string) => {
    const o = ordinals.get(name);
    if (o === undefined) throw new Error(`no node ${name}`);
    return o;
  };
  for (const edge of edges) {
    const weak = edge.includes('~>');
    const [from, to] = edge.split(weak ? '~>' : '->') as [string, string];
    builder.addEdge(ord(from), weak ? EdgeKind.weak : EdgeKind.internal, '', ord(to));
  }
  const n = nodes.length + 1;
  const refcount = new Float64Array(n);
  const flags = new Uint16Array(n);
  nodes.forEach((node, i) => {
    refcount[i + 1] = node.refcount;
    flags[i + 1] = node.flags ?? PyFlag.gcTracked;
  });
  const store = builder.build({
    language: 'python',
    rootOrdinal: 0,
    python: { refcount, flags, generation: new Int8Array(n).fill(-1), repr: new Uint32Array(n), pythonVersion: version },
  });
  return { store, ord };
}

function collectedNames(store: GraphStore, collected: Uint8Array): string[] {
  const names: string[] = [];
  for (let o = 0; o < store.nodeCount; o++) if (collected[o]) names.push(store.strings.get(store.nodeName[o]!));
  return names.sort();
}

test('collects a self-cycle and what only it holds, not what is held from outside', () => {
  const { store, ord } = pyStore(
    [
      { name: 'a', refcount: 1 }, // a.ref = a
      { name: 'payload', refcount: 1 }, // held only by a
      { name: 'live', refcount: 2 }, // live.me = live, plus one reference from a frame
      { name: 'kept', refcount: 1 }, // held only by live
    ],
    ['a->a', 'a->payload', 'live->live', 'live->kept'],
  );
  const result = computePythonGarbage(store);
  assert.deepEqual(collectedNames(store, result.collected), ['a', 'payload']);
  assert.equal(result.counts.collectedBytes, 20);
  assert.ok(result.garbageFlags[ord('live')]! & GarbageFlag.external);
  assert.ok(result.garbageFlags[ord('a')]! & GarbageFlag.cycleSource);
  assert.equal(result.garbageFlags[ord('payload')]! & GarbageFlag.inCycle, 0, 'payload is kept alive by garbage, not cyclic');
});

test('weak edges are not references, and only surviving weakrefs run callbacks', () => {
  const { store, ord } = pyStore(
    [
      { name: 'target', refcount: 1 },
      { name: 'liveRef', refcount: 1, flags: PyFlag.gcTracked | PyFlag.isWeakref },
      { name: 'callback', refcount: 1 },
      { name: 'deadRef', refcount: 1, flags: PyFlag.gcTracked | PyFlag.isWeakref },
      { name: 'deadCallback', refcount: 1 },
    ],
    ['target->target', 'liveRef~>target', 'liveRef->callback', 'target->deadRef', 'deadRef~>target', 'deadRef->deadCallback'],
  );
  const result = computePythonGarbage(store);
  assert.deepEqual(collectedNames(store, result.collected), ['deadCallback', 'deadRef', 'target']);
  assert.ok(result.garbageFlags[ord('liveRef')]! & GarbageFlag.weakrefCallbackWillRun);
  assert.equal(result.garbageFlags[ord('deadRef')]! & GarbageFlag.weakrefCallbackWillRun, 0);
  assert.equal(result.counts.weakrefCallbackCount, 1);
  assert.equal(result.counts.weakrefsClearedCount, 2);
});

test('legacy finalizers make their cycle uncollectable; PEP 442 finalizers run and flag resurrection risk', () => {
  const { store, ord } = pyStore(
    [
      { name: 'legacy', refcount: 1, flags: PyFlag.gcTracked | legacyFinalizerFlag },
      { name: 'heldByLegacy', refcount: 1 },
      { name: 'withDel', refcount: 1, flags: PyFlag.gcTracked | PyFlag.hasFinalizer },
      { name: 'heldByDel', refcount: 1 },
      { name: 'finalized', refcount: 1, flags: PyFlag.gcTracked | PyFlag.hasFinalizer | PyFlag.finalized },
    ],
    ['legacy->heldByLegacy', 'heldByLegacy->legacy', 'withDel->heldByDel', 'heldByDel->withDel', 'finalized->finalized'],
  );
  const result = computePythonGarbage(store);
  assert.deepEqual(collectedNames(store, result.collected), ['finalized', 'heldByDel', 'withDel']);
  assert.ok(result.garbageFlags[ord('legacy')]! & GarbageFlag.uncollectable);
  assert.ok(result.garbageFlags[ord('heldByLegacy')]! & GarbageFlag.uncollectable);
  assert.ok(result.garbageFlags[ord('withDel')]! & GarbageFlag.finalizerWillRun);
  assert.ok(result.garbageFlags[ord('heldByDel')]! & GarbageFlag.mayResurrect);
  assert.equal(result.garbageFlags[ord('finalized')]! & GarbageFlag.finalizerWillRun, 0, 'a finalizer runs once');
  assert.equal(result.counts.uncollectableCount, 2);
});

test('a closing generator frees its frame cycle by refcounting, per interpreter version', () => {
  const nodes = (state: number): PyNode[] => [
    { name: 'gen', refcount: 1, flags: PyFlag.gcTracked | PyFlag.hasFinalizer | state },
    { name: 'box', refcount: 1 },
    { name: 'other', refcount: 2 }, // a cycle hanging off the generator survives its closing
  ];
  const edges = ['gen->box', 'box->gen', 'box->other', 'other->other'];
  const suspended = computePythonGarbage(pyStore(nodes(generatorSuspendedFlag), edges).store);
  assert.equal(suspended.counts.freedByFinalizerCount, 2);
  assert.equal(suspended.counts.collectedCount, 1, 'only the independent cycle is left for tp_clear');
  const created312 = computePythonGarbage(pyStore(nodes(generatorCreatedFlag), edges, '3.12.1').store);
  assert.equal(created312.counts.freedByFinalizerCount, 0, '3.12+ closes a never-started generator without clearing it');
  const created311 = computePythonGarbage(pyStore(nodes(generatorCreatedFlag), edges, '3.11.7').store);
  assert.equal(created311.counts.freedByFinalizerCount, 2);
});

test('immortal objects are outside the collection on 3.12+, and over-counted edges are anomalies kept alive', () => {
  const nodes: PyNode[] = [
    { name: 'immortal', refcount: 4294967295, flags: PyFlag.gcTracked | PyFlag.immortal },
    { name: 'fromImmortal', refcount: 1 },
    { name: 'odd', refcount: 0 }, // one edge but no reference: a snapshot inconsistency
    { name: 'holder', refcount: 1 },
  ];
  const result = computePythonGarbage(pyStore(nodes, ['immortal->fromImmortal', 'holder->odd', 'odd->holder']).store);
  assert.equal(result.counts.candidateCount, 3);
  assert.equal(result.counts.anomalyCount, 1);
  assert.deepEqual(result.counts.collectedCount, 0);
  assert.equal(result.semantics.immortalExcluded, true);
});

test('ranks source cycles first and marks the cycles they keep alive', () => {
  const { store, ord } = pyStore(
    [
      { name: 'a', refcount: 1 },
      { name: 'b', refcount: 1 },
      { name: 'c', refcount: 2 },
      { name: 'd', refcount: 1 },
    ],
    ['a->b', 'b->a', 'b->c', 'c->d', 'd->c'],
  );
  const result = computePythonGarbage(store);
  assert.equal(result.counts.cycleCount, 2);
  assert.equal(result.counts.sourceCycleCount, 1);
  const firstTwo = [...result.garbageOrder.subarray(0, 2)].map((o) => store.strings.get(store.nodeName[o]!)).sort();
  assert.deepEqual(firstTwo, ['a', 'b']);
  assert.ok(result.garbageFlags[ord('c')]! & GarbageFlag.inCycle);
  assert.equal(result.garbageFlags[ord('c')]! & GarbageFlag.cycleSource, 0);
});

test('handles a 20,000-object garbage cycle without recursion', () => {
  const count = 20_000;
  const nodes = Array.from({ length: count }, (_, i) => ({ name: `n${i}`, refcount: 1 }));
  const edges = nodes.map((_, i) => `n${i}->n${(i + 1) % count}`);
  const result = computePythonGarbage(pyStore(nodes, edges).store);
  assert.equal(result.counts.collectedCount, count);
  assert.equal(result.sccCount, 1);
  assert.equal(result.sccSize[0], count);
});
