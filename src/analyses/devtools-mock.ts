// Layer 3 (analyses): the DevTools unit-test heap (HeapSnapshot.test.ts createHeapSnapshotMockRaw) as a store,
// with the answers DevTools' own tests expect. Shared by the analyses' tests.
import type { GraphStore } from '../store/graph-store.js';
import { GraphBuilder } from '../store/graph-builder.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';

/** root (hidden, 0 B) → A(2) .a, → B(3) .b; A → B [1], A → C(4) .ac; B → C .bc, B → D(5) .bd; C → E(6) .ce. */
export function devtoolsMockStore(): GraphStore {
  const b = new GraphBuilder();
  const root = b.addNode({ kind: NodeKind.hidden, name: '', id: 1, selfSize: 0 });
  const [a, bb, c, d, e] = ['A', 'B', 'C', 'D', 'E'].map((name, k) =>
    b.addNode({ kind: NodeKind.object, name, id: k + 2, selfSize: k + 2 }),
  ) as [number, number, number, number, number];
  b.addEdge(root, EdgeKind.property, 'a', a);
  b.addEdge(root, EdgeKind.property, 'b', bb);
  b.addEdge(a, EdgeKind.element, 1, bb);
  b.addEdge(a, EdgeKind.property, 'ac', c);
  b.addEdge(bb, EdgeKind.property, 'bc', c);
  b.addEdge(bb, EdgeKind.property, 'bd', d);
  b.addEdge(c, EdgeKind.property, 'ce', e);
  return b.build({ language: 'v8' });
}

export const devtoolsMockExpected = {
  totalSize: 20,
  dominator: [0, 0, 0, 0, 2, 3],
  retainedSize: [20, 2, 8, 10, 5, 6],
  /** {count, self, maxRet} per class. */
  aggregates: {
    A: [1, 2, 2],
    B: [1, 3, 8],
    C: [1, 4, 10],
    D: [1, 5, 5],
    E: [1, 6, 6],
  },
} as const;
