import assert from 'node:assert/strict';
import { test } from 'node:test';
import { edgeKindOf, edgeNameOf, packEdgeKinds } from './edge-packing.js';
import { EdgeKind } from './kinds.js';

test('kinds and names share one word, and names past 28 bits come back exactly from the side table', () => {
  const kinds = Uint8Array.from([EdgeKind.property, EdgeKind.element, EdgeKind.weak, EdgeKind.element, 10]);
  const names = Uint32Array.from([5, 0x0ffffffe, 0, 3_000_000_000, 0x0fffffff]);
  const overflow = packEdgeKinds(kinds, names, 11, 'heap.heapsnapshot');
  const store = { edgeKindAndName: names, edgeNameOverflow: overflow };
  assert.deepEqual([0, 1, 2, 3, 4].map((e) => edgeKindOf(store, e)), [EdgeKind.property, EdgeKind.element, EdgeKind.weak, EdgeKind.element, 10]);
  assert.deepEqual([0, 1, 2, 3, 4].map((e) => edgeNameOf(store, e)), [5, 0x0ffffffe, 0, 3_000_000_000, 0x0fffffff]);
  assert.deepEqual([...overflow.edges], [3, 4]);
});

test('a file with more edge types than four bits hold is refused with its path', () => {
  assert.throws(() => packEdgeKinds(new Uint8Array(1), new Uint32Array(1), 17, 'odd.heapsnapshot'), /odd\.heapsnapshot: 17 edge types/);
});
