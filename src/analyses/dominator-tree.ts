// Layer 3 (analyses): the dominator tree as a children CSR (DevTools buildDominatedNodes) plus preorder
// intervals, so "is a dominated by b" is two comparisons.
import { newUint32Array } from '../base/large-arrays.js';
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';

export interface DominatorTree {
  /** Children of node i are dominatedNodes[firstDominated[i] .. firstDominated[i+1]-1], in ordinal order. */
  readonly firstDominated: Uint32Array;
  readonly dominatedNodes: Uint32Array;
  /** Preorder position of each node in the dominator tree (root = 0). */
  readonly enter: Uint32Array;
  /** One past the preorder position of the node's last descendant: b dominates a iff enter[b] ≤ enter[a] < exit[b]. */
  readonly exit: Uint32Array;
}

/** The children half of a DominatorTree: enough for walks such as the Summary's retained sizes. */
export type DominatedChildren = Pick<DominatorTree, 'firstDominated' | 'dominatedNodes'>;

/** Children CSR only (no preorder intervals): O(N), two arrays. */
export function buildDominatedChildren(store: GraphStore, derived: Pick<DerivedIndexes, 'dominator'>): DominatedChildren {
  const nodeCount = store.nodeCount;
  const root = store.rootOrdinal;
  const dominator = derived.dominator;
  // Count children at their parent, take inclusive prefix sums (each entry is then its slice's end), and fill
  // every slice from its end with descending ordinals: entries end at slice starts, children come out ascending,
  // and no separate cursor array is needed.
  const firstDominated = newUint32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) if (i !== root) firstDominated[dominator[i]!]++;
  for (let i = 1; i < nodeCount; i++) firstDominated[i] += firstDominated[i - 1]!;
  if (nodeCount > 0) firstDominated[nodeCount] = firstDominated[nodeCount - 1]!;
  const dominatedNodes = newUint32Array(Math.max(0, nodeCount - 1));
  for (let i = nodeCount - 1; i >= 0; i--) if (i !== root) dominatedNodes[--firstDominated[dominator[i]!]!] = i;
  return { firstDominated, dominatedNodes };
}

/** Build the children CSR and preorder intervals from derived.dominator. O(N), iterative. */
export function buildDominatorTree(store: GraphStore, derived: Pick<DerivedIndexes, 'dominator'>): DominatorTree {
  const nodeCount = store.nodeCount;
  const root = store.rootOrdinal;
  const dominator = derived.dominator;
  const { firstDominated, dominatedNodes } = buildDominatedChildren(store, derived);
  const enter = new Uint32Array(nodeCount);
  const exit = new Uint32Array(nodeCount);
  if (nodeCount === 0) return { firstDominated, dominatedNodes, enter, exit };
  // Iterative preorder: a node's subtree occupies [enter, enter + subtree size).
  const stack = new Uint32Array(nodeCount);
  let top = 0;
  let clock = 0;
  stack[top++] = root;
  while (top > 0) {
    const node = stack[--top]!;
    enter[node] = clock++;
    for (let k = firstDominated[node + 1]! ; k > firstDominated[node]!; k--) stack[top++] = dominatedNodes[k - 1]!;
  }
  const subtree = new Uint32Array(nodeCount).fill(1);
  // Children have larger preorder numbers than parents: accumulate subtree sizes in reverse preorder.
  const byPreorder = new Uint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) byPreorder[enter[i]!] = i;
  for (let k = nodeCount - 1; k > 0; k--) {
    const node = byPreorder[k]!;
    subtree[dominator[node]!] += subtree[node]!;
  }
  for (let i = 0; i < nodeCount; i++) exit[i] = enter[i]! + subtree[i]!;
  return { firstDominated, dominatedNodes, enter, exit };
}
