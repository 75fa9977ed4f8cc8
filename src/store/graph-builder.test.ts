import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder } from './graph-builder.js';
import { ordinalOfId, ordinalOfNodeId } from './id-index.js';
import { sourceOfEdge } from './edge-source.js';
import { EdgeKind, NodeKind } from './kinds.js';
import { edgeNameOf } from './edge-packing.js';

function smallGraph() {
  const b = new GraphBuilder('');
  const root = b.addNode({ kind: NodeKind.synthetic, name: '(root)', id: 1, selfSize: 0 });
  const a = b.addNode({ kind: NodeKind.object, name: 'A', id: 3, selfSize: 10 });
  const arr = b.addNode({ kind: NodeKind.array, name: 'Array', id: 5, selfSize: 20 });
  b.addEdge(arr, EdgeKind.element, 7, a);
  b.addEdge(root, EdgeKind.property, 'a', a);
  b.addEdge(root, EdgeKind.shortcut, 'arr', arr);
  b.addEdge(a, EdgeKind.property, 'self', a);
  return b.build({ language: 'v8' });
}

test('groups edges by source in insertion order, with names or indexes', () => {
  const store = smallGraph();
  assert.equal(store.nodeCount, 3);
  assert.equal(store.edgeCount, 4);
  assert.deepEqual([...store.firstOutEdge], [0, 2, 3, 4]);
  assert.equal(store.strings.get(edgeNameOf(store, 0)), 'a');
  assert.equal(store.strings.get(edgeNameOf(store, 1)), 'arr');
  assert.equal(edgeNameOf(store, 3), 7);
});

test('finds retainers through the reverse CSR', () => {
  const store = smallGraph();
  const a = 1;
  const sources: number[] = [];
  for (let r = store.firstInEdge[a]!; r < store.firstInEdge[a + 1]!; r++) sources.push(sourceOfEdge(store, store.inEdgeOrdinal[r]!));
  assert.deepEqual(sources.sort(), [0, 1, 2]);
});

test('maps heap object ids to ordinals without per-object maps', () => {
  const store = smallGraph();
  assert.equal(ordinalOfNodeId(store, 5), 2);
  assert.equal(ordinalOfNodeId(store, 3), 1);
  assert.equal(ordinalOfNodeId(store, 4), -1);
});

test('maps ids to ordinals whatever order the ids come in, including ids beyond 32 bits', async () => {
  const { buildIdIndex } = await import('./id-index.js');
  const shuffled = Float64Array.from([50, 7, 3_000_000_000, 9, 1]);
  const index = buildIdIndex(shuffled);
  assert.deepEqual([...index.sortedOrdinals].map((ordinal) => shuffled[ordinal]), [1, 7, 9, 50, 3_000_000_000]);
  for (let i = 0; i < shuffled.length; i++) assert.equal(ordinalOfId(index, shuffled[i]!), i);
  const python = Float64Array.from([0x7f3a2c1d5e80, 0x7f3a2c1d5e40, 0x7f3a2c1d5f00]);
  const pythonIndex = buildIdIndex(python);
  for (let i = 0; i < python.length; i++) assert.equal(ordinalOfId(pythonIndex, python[i]!), i);
});
