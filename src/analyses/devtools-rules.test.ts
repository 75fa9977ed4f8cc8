import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeFlag } from '../store/derived.js';
import { GraphBuilder } from '../store/graph-builder.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { computeDerived } from './compute-derived.js';

function weakMapHeap() {
  const b = new GraphBuilder();
  const node = (kind: number, name: string, id: number, selfSize = 1) => b.addNode({ kind, name, id, selfSize });
  const root = node(NodeKind.synthetic, '', 1, 0);
  const win = node(NodeKind.object, 'Window', 3);
  const table = node(NodeKind.object, 'WeakMapTable', 5);
  const a = node(NodeKind.object, 'A', 7);
  const c = node(NodeKind.object, 'C', 9);
  const key = node(NodeKind.object, 'Key', 11);
  const value = node(NodeKind.object, 'Value', 13, 100);
  const pair = ' / part of key (Key @11) -> value (Value @13) pair in WeakMap (table @5)';
  b.addEdge(root, EdgeKind.shortcut, 'win', win);
  b.addEdge(win, EdgeKind.property, 'wm', table);
  b.addEdge(win, EdgeKind.property, 'a', a);
  b.addEdge(a, EdgeKind.property, 'c', c);
  b.addEdge(c, EdgeKind.property, 'key', key);
  b.addEdge(table, EdgeKind.internal, `1${pair}`, value);
  b.addEdge(key, EdgeKind.internal, `2${pair}`, value);
  return { store: b.build({ language: 'v8' }), table, key, value };
}

test('a WeakMap value sits one past the later of its table and key', () => {
  const { store, table, key, value } = weakMapHeap();
  const derived = computeDerived(store);
  assert.equal(derived.distance[table], 2);
  assert.equal(derived.distance[key], 4);
  assert.equal(derived.distance[value], 5);
});

test('a WeakMap value is dominated through its key, not its table', () => {
  const { store, key, value } = weakMapHeap();
  const derived = computeDerived(store);
  assert.equal(derived.dominator[value], key);
  assert.equal(derived.retainedSize[key], 101);
});

test('skips sloppy_function_map of the native context and descriptor slots of map descriptors', () => {
  const b = new GraphBuilder();
  const root = b.addNode({ kind: NodeKind.synthetic, name: '', id: 1, selfSize: 0 });
  const ctx = b.addNode({ kind: NodeKind.hidden, name: 'system / NativeContext', id: 3, selfSize: 1 });
  const sloppy = b.addNode({ kind: NodeKind.hidden, name: 'system / Map', id: 5, selfSize: 1 });
  const descriptors = b.addNode({ kind: NodeKind.array, name: '(map descriptors)', id: 7, selfSize: 1 });
  const slots = [0, 1, 2, 3, 4].map((k) => b.addNode({ kind: NodeKind.object, name: `slot${k}`, id: 9 + 2 * k, selfSize: 1 }));
  b.addEdge(root, EdgeKind.element, 1, ctx);
  b.addEdge(ctx, EdgeKind.internal, 'sloppy_function_map', sloppy);
  b.addEdge(ctx, EdgeKind.internal, 'descriptors', descriptors);
  slots.forEach((slot, k) => b.addEdge(descriptors, EdgeKind.element, k, slot));
  const derived = computeDerived(b.build({ language: 'v8' }));
  assert.equal(derived.distance[sloppy], -5);
  // Slots 0, 1, 2 and 3 are followed; slot 4 (k ≥ 2, k % 3 === 1) is not.
  assert.deepEqual(slots.map((s) => derived.distance[s]! > 0), [true, true, true, true, false]);
});

test('propagates detached DOM state through native nodes and names their class', () => {
  const b = new GraphBuilder();
  const root = b.addNode({ kind: NodeKind.synthetic, name: '', id: 1, selfSize: 0 });
  const win = b.addNode({ kind: NodeKind.object, name: 'Window', id: 3, selfSize: 1 });
  const div = b.addNode({ kind: NodeKind.native, name: '<div id="x">', id: 4, selfSize: 1 });
  const span = b.addNode({ kind: NodeKind.native, name: 'HTMLSpanElement', id: 6, selfSize: 1 });
  const js = b.addNode({ kind: NodeKind.object, name: 'Listener', id: 5, selfSize: 1 });
  b.addEdge(root, EdgeKind.shortcut, 'win', win);
  b.addEdge(win, EdgeKind.property, 'div', div);
  b.addEdge(div, EdgeKind.property, 'child', span);
  b.addEdge(div, EdgeKind.property, 'listener', js);
  const detachedness = new Uint8Array([0, 0, 2, 0, 0]);
  const store = b.build({ language: 'v8', v8: { extraNativeBytes: 10, detachedness, hasTraceNodeIds: false } });
  const derived = computeDerived(store);
  const cls = (o: number) => derived.classNames[derived.classOf[o]!];
  assert.equal(cls(div), 'Detached <div>');
  assert.equal(cls(span), 'Detached HTMLSpanElement');
  assert.equal(cls(js), 'Listener');
  assert.deepEqual([div, span, js].map((o) => (derived.nodeFlags[o]! & NodeFlag.detachedDomNode) !== 0), [true, true, false]);
  assert.equal(derived.totalSize, 14, 'extra native bytes count in the total');
});

test('an interface must be proposed by at least 1 in 1000 plain Objects, counting those without properties', () => {
  const b = new GraphBuilder();
  const root = b.addNode({ kind: NodeKind.synthetic, name: '', id: 1, selfSize: 0 });
  const win = b.addNode({ kind: NodeKind.object, name: 'Window', id: 3, selfSize: 1 });
  b.addEdge(root, EdgeKind.shortcut, 'win', win);
  let id = 5;
  const plain = (properties: string[]) => {
    const o = b.addNode({ kind: NodeKind.object, name: 'Object', id: (id += 2), selfSize: 1 });
    b.addEdge(win, EdgeKind.property, `o${id}`, o);
    for (const p of properties) b.addEdge(o, EdgeKind.property, p, win);
    return o;
  };
  // 5,000 empty Objects and 3 {both, shared}: 5,003 / 1000 ≈ 5.003 > 5 objects, so {both, shared} is too rare,
  // while 6 {many, shapes} pass.
  const rare = [0, 1, 2].map(() => plain(['both', 'shared']));
  const common = [0, 1, 2, 3, 4, 5].map(() => plain(['many', 'shapes']));
  for (let k = 0; k < 5_000 - 6; k++) plain([]);
  const derived = computeDerived(b.build({ language: 'v8' }));
  const cls = (o: number) => derived.classNames[derived.classOf[o]!];
  assert.deepEqual(rare.map(cls), ['Object', 'Object', 'Object']);
  assert.deepEqual([...new Set(common.map(cls))], ['{many, shapes}']);
});
