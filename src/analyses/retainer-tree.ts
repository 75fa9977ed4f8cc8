// Layer 3 (analyses): a bounded tree of retainers (DevTools' Retainers view): who references an object, who
// references those, and so on, nearest-to-a-root first, marking cycles instead of looping.
import type { DerivedIndexes } from '../store/derived.js';
import { baseUnreachableDistance, noDistance } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind } from '../store/kinds.js';
import { sourceOfEdge } from '../store/edge-source.js';
import { edgeKindShift } from '../store/edge-packing.js';

export interface RetainerTreeNode {
  readonly ordinal: number;
  /** Edge ordinal from this node to its parent in the tree (the object it retains); -1 at the top. */
  readonly edge: number;
  readonly distance: number;
  readonly children: RetainerTreeNode[];
  /** Retainers not shown because of maxChildren or the node budget. */
  omittedChildren: number;
  /** This node is already on the path to the top: it retains itself through the path; not expanded. */
  readonly cycle: boolean;
  /** Not expanded because the depth limit was reached while it still has retainers. */
  depthLimited: boolean;
}

export interface RetainerTreeOptions {
  /** Levels of retainers below the object; default 4. */
  depth?: number;
  /** Show weak edges too; default false. */
  includeWeak?: boolean;
  /** Retainers shown per node; default 10. */
  maxChildren?: number;
  /** Total nodes in the tree; default 2000. */
  maxNodes?: number;
}

/**
 * Retainers of `ordinal`, sorted by the retainer's distance (unreachable ones last, at 2 × 10^8, as DevTools
 * sorts them), ties in reverse-CSR order. Weak edges are left out unless includeWeak. The root appears as a
 * leaf retainer of user roots. Iterative and bounded by depth, maxChildren and maxNodes.
 */
export function retainerTree(store: GraphStore, derived: DerivedIndexes, ordinal: number, options: RetainerTreeOptions = {}): RetainerTreeNode {
  const depthLimit = options.depth ?? 4;
  const maxChildren = options.maxChildren ?? 10;
  let budget = (options.maxNodes ?? 2000) - 1;
  const { firstInEdge, inEdgeOrdinal, edgeKindAndName, rootOrdinal } = store;
  const sourceAt = (k: number): number => sourceOfEdge(store, inEdgeOrdinal[k]!);
  const distance = derived.distance;
  const weak = options.includeWeak ? -1 : EdgeKind.weak;
  const sortKey = (node: number): number => {
    const d = distance[node]!;
    return d === noDistance ? baseUnreachableDistance : d;
  };
  const onPath = new Uint8Array(store.nodeCount);
  const top: RetainerTreeNode = makeNode(ordinal, -1, distance[ordinal]!, false);
  // Explicit DFS: each frame is a tree node and the retainers still to expand; onPath marks the current chain.
  const frames: { node: RetainerTreeNode; pending: RetainerTreeNode[]; level: number }[] = [];
  const open = (node: RetainerTreeNode, level: number): void => {
    onPath[node.ordinal] = 1;
    const retainers: number[] = [];
    for (let k = firstInEdge[node.ordinal]!; k < firstInEdge[node.ordinal + 1]!; k++) if ((edgeKindAndName[inEdgeOrdinal[k]!]! >>> edgeKindShift) !== weak) retainers.push(k);
    if (retainers.length > 0 && (level >= depthLimit || node.ordinal === rootOrdinal)) {
      node.depthLimited = node.ordinal !== rootOrdinal;
      frames.push({ node, pending: [], level });
      return;
    }
    retainers.sort((x, y) => sortKey(sourceAt(x)) - sortKey(sourceAt(y)) || x - y);
    const shown = Math.min(retainers.length, maxChildren, Math.max(0, budget));
    budget -= shown;
    node.omittedChildren = retainers.length - shown;
    for (let j = 0; j < shown; j++) {
      const k = retainers[j]!;
      const source = sourceAt(k);
      node.children.push(makeNode(source, inEdgeOrdinal[k]!, distance[source]!, onPath[source] === 1));
    }
    frames.push({ node, pending: node.children.filter((child) => !child.cycle).reverse(), level });
  };
  open(top, 0);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const next = frame.pending.pop();
    if (next === undefined) {
      onPath[frame.node.ordinal] = 0;
      frames.pop();
      continue;
    }
    open(next, frame.level + 1);
  }
  return top;
}

function makeNode(ordinal: number, edge: number, distance: number, cycle: boolean): RetainerTreeNode {
  return { ordinal, edge, distance, children: [], omittedChildren: 0, cycle, depthLimited: false };
}
