// Layer 3 (analyses): immediate dominators and retained sizes over essential edges, Lengauer–Tarjan
// ("A fast algorithm for finding dominators in a flowgraph", TOPLAS 1979), written iteratively with typed arrays
// and DevTools' handling of nodes the root does not reach (buildDominatorTreeAndCalculateRetainedSizes).
import { newFloat64Array, newUint32Array } from '../base/large-arrays.js';
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import { edgeSourceBlockShift } from '../store/edge-source.js';
import { isEssential } from './essential-edges.js';
import type { GraphStore, NodeNumberColumn } from '../store/graph-store.js';

export interface DominatorResult {
  /** Immediate dominator ordinal per node; the root dominates itself and every unreachable node. */
  readonly dominator: Uint32Array;
  /** Self size plus the retained sizes of dominated nodes, in bytes (the column type of accumulateRetainedSizes). */
  readonly retainedSize: NodeNumberColumn;
  /** Nodes not reached from the root over essential edges whose retainers are all non-essential. */
  readonly weakOnlyCount: number;
  /** Remaining unreached nodes (cliques that only retain each other, and what they reach). */
  readonly unreachableCount: number;
}

/**
 * Lengauer–Tarjan's semidominators with simple link/eval, then SEMI-NCA for immediate dominators. Unreached nodes are handled as DevTools does: first every node whose
 * retainers are all non-essential is hung under the root and DFS'd from; then any node still unnumbered is
 * numbered alone under the root. A node with no essential retainer gets semi = semi(root). O(E log N).
 * Retained sizes start from `selfSize` (after reattribution) and flow to dominators in reverse preorder.
 */
export function computeDominators(
  store: GraphStore,
  essential: Uint32Array,
  selfSize: NodeNumberColumn,
  cancel?: CancelToken,
): DominatorResult {
  const immediate = computeImmediateDominators(store, essential, cancel);
  return { ...immediate, retainedSize: accumulateRetainedSizes(immediate, selfSize) };
}

/** Lengauer–Tarjan's half of computeDominators: everything but the sizes, so the load pipeline can run it while
 * another thread is still reattributing shallow sizes. */
export interface ImmediateDominators {
  readonly dominator: Uint32Array;
  /** Vertex (ordinal + 1) of each preorder number 1..count; children come after their dominators. */
  readonly vertex: Uint32Array;
  readonly count: number;
  readonly weakOnlyCount: number;
  readonly unreachableCount: number;
  /**
   * nodeCount + 1 numbers for accumulateRetainedSizes: Uint32 when self sizes are (their total, which bounds every
   * retained size, is then under 4 GiB), else Float64. Lengauer–Tarjan used its bytes as its own scratch first:
   * the retained sizes would be allocated right after anyway, so the load's peak is lower by that much.
   */
  readonly retainedSizeBuffer: NodeNumberColumn;
}

/** Immediate dominators only (see computeDominators). O(E log N). */
export function computeImmediateDominators(store: GraphStore, essential: Uint32Array, cancel?: CancelToken): ImmediateDominators {
  const nodeCount = store.nodeCount;
  const size = nodeCount + 1;
  const narrow = store.selfSize instanceof Uint32Array;
  const retainedSizeBuffer = narrow ? newUint32Array(size) : newFloat64Array(size);
  const scratch: [Uint32Array, Uint32Array] = narrow
    ? [retainedSizeBuffer as Uint32Array, newUint32Array(size)]
    : [new Uint32Array(retainedSizeBuffer.buffer, 0, size), new Uint32Array(retainedSizeBuffer.buffer, size * 4, size)];
  const numbering = numberVertices(store, essential, scratch, cancel);
  // One longer than the answer: semidominators keeps semi (by preorder number 1..count) here first.
  const dominatorAndSemi = newUint32Array(nodeCount + 1);
  semidominators(store, essential, numbering, dominatorAndSemi, cancel);
  const dominator = dominatorAndSemi.subarray(1);
  const { vertex, count, weakOnlyCount, unreachableCount } = numbering;
  return { dominator, vertex, count, weakOnlyCount, unreachableCount, retainedSizeBuffer };
}

/** Retained sizes: self sizes flowed up to dominators in reverse preorder. O(N). */
export function accumulateRetainedSizes(immediate: ImmediateDominators, selfSize: NodeNumberColumn): NodeNumberColumn {
  const { dominator, vertex, count } = immediate;
  const retainedSize = immediate.retainedSizeBuffer.subarray(0, selfSize.length);
  retainedSize.set(selfSize);
  for (let i = count; i > 1; i--) {
    const ordinal = vertex[i]! - 1;
    retainedSize[dominator[ordinal]!] += retainedSize[ordinal]!;
  }
  return retainedSize;
}

interface Numbering {
  /** Preorder number of each vertex (vertex = ordinal + 1); 0 means none. */
  readonly numberOf: Uint32Array;
  /** Vertex of each preorder number. */
  readonly vertex: Uint32Array;
  /** Preorder number of the DFS parent of each preorder number (the root's is 0). */
  readonly parentNumber: Uint32Array;
  readonly count: number;
  readonly weakOnlyCount: number;
  readonly unreachableCount: number;
  /** Two arrays of nodeCount + 1 the numbering no longer needs, reused by the next phase (peak memory). */
  readonly scratch: readonly [Uint32Array, Uint32Array];
}

/** Phase 1: preorder numbering by iterative DFS over essential edges, then DevTools' unreachable handling. */
function numberVertices(store: GraphStore, essential: Uint32Array, scratch: readonly [Uint32Array, Uint32Array], cancel: CancelToken | undefined): Numbering {
  const { nodeCount, firstOutEdge, edgeTarget, firstInEdge, inEdgeOrdinal } = store;
  const size = nodeCount + 1;
  // parent and nextEdge are only needed while numbering (the later phases keep parents by preorder number), so
  // they live in the caller's zeroed scratch, which the next phase reuses again.
  const [parent, nextEdge] = scratch;
  const semi = newUint32Array(size);
  const vertex = newUint32Array(size);
  const parentNumber = newUint32Array(size);
  let n = 0;
  let iterations = 0;
  const dfs = (start: number): void => {
    nextEdge[start] = firstOutEdge[start - 1]!;
    let v = start;
    while (v !== 0) {
      if ((++iterations & 0xffff) === 0) throwIfCancelled(cancel);
      if (semi[v] === 0) {
        semi[v] = ++n;
        vertex[n] = v;
        parentNumber[n] = semi[parent[v]!]!;
      }
      let next = parent[v]!;
      const end = firstOutEdge[v]!; // firstOutEdge[(v - 1) + 1]
      for (let e = nextEdge[v]!; e < end; e++) {
        if ((essential[e >>> 5]! & (1 << (e & 31))) === 0) continue;
        const w = edgeTarget[e]! + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          nextEdge[w] = firstOutEdge[w - 1]!;
          nextEdge[v] = e + 1;
          next = w;
          break;
        }
      }
      if (next === parent[v]) nextEdge[v] = end;
      v = next;
    }
  };
  const r = store.rootOrdinal + 1;
  if (nodeCount > 0) dfs(r);
  let weakOnlyCount = 0;
  let unreachableCount = 0;
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] !== 0) continue;
      let onlyNonEssential = true;
      for (let k = firstInEdge[v - 1]!; k < firstInEdge[v]!; k++) {
        if (isEssential(essential, inEdgeOrdinal[k]!)) {
          onlyNonEssential = false;
          break;
        }
      }
      if (!onlyNonEssential) continue;
      weakOnlyCount++;
      parent[v] = r;
      dfs(v);
    }
  }
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] !== 0) continue;
      unreachableCount++;
      semi[v] = ++n;
      vertex[n] = v;
      parentNumber[n] = 1; // the root
    }
  }
  return { numberOf: semi, vertex, parentNumber, count: n, weakOnlyCount, unreachableCount, scratch: [parent, nextEdge] };
}

/**
 * Phases 2–3 as SEMI-NCA (Georgiadis, Tarjan & Werneck, "Finding Dominators in Practice", 2006): semidominators
 * in reverse preorder by Lengauer–Tarjan's simple eval/link, then each immediate dominator as the nearest common
 * ancestor of the DFS parent and the semidominator in the dominator tree built so far (walking idom links from
 * the parent while they are above the semidominator). It yields Lengauer–Tarjan's dominators without its
 * buckets, which saves two node arrays at the load's memory peak. DevTools' augmented graph is a proper DFS tree
 * (orphans' virtual edge from the root) except the leftovers numbered alone under the root; those have parent
 * root, which both algorithms give them as dominator.
 *
 * Arrays are indexed by preorder number, so eval/compress chains walk DFS-tree paths whose numbers are close
 * together. Arrays double up where lifetimes allow: semi lives in `dominatorAndSemi` (nodeCount + 1 long) until
 * the answer replaces it; label and ancestor use the numbering's dead scratch, and idom replaces label once every
 * semi is known. A vertex is linked exactly when its number is at least `linkedFrom` (the loop links in
 * decreasing order), so ancestor needs no separate "unlinked" marker.
 */
function semidominators(store: GraphStore, essential: Uint32Array, numbering: Numbering, dominatorAndSemi: Uint32Array, cancel: CancelToken | undefined): void {
  const { firstInEdge, inEdgeOrdinal, firstOutEdge, edgeSourceBlocks } = store;
  const { numberOf, vertex, parentNumber: parent, count } = numbering;
  const semi = dominatorAndSemi;
  const [label, ancestor] = numbering.scratch;
  for (let i = 0; i <= count; i++) {
    semi[i] = i;
    label[i] = i;
    ancestor[i] = parent[i]!;
  }
  let compressStack: Uint32Array = new Uint32Array(1024);
  let linkedFrom = count + 1;
  // eval(v) of the paper with path compression on an explicit stack. DevTools uses the simple link/eval variant;
  // gcsh keeps it (the balanced one picks other, equally minimal, vertices on ties).
  const evaluate = (v0: number): number => {
    if (v0 < linkedFrom) return v0;
    let v = v0;
    let top = 0;
    while (ancestor[v]! >= linkedFrom) {
      if (++top === compressStack.length) compressStack = grow(compressStack);
      compressStack[top] = v;
      v = ancestor[v]!;
    }
    while (top > 0) {
      const w = compressStack[top--]!;
      const a = ancestor[w]!;
      if (semi[label[a]!]! < semi[label[w]!]!) label[w] = label[a]!;
      ancestor[w] = ancestor[a]!;
    }
    return label[v0]!;
  };
  const rootNumber = 1; // the root is numbered first
  for (let w = count; w >= 2; w--) {
    if ((w & 0xffff) === 0) throwIfCancelled(cancel);
    const ordinal = vertex[w]! - 1;
    let orphan = true;
    const inEnd = firstInEdge[ordinal + 1]!;
    for (let k = firstInEdge[ordinal]!; k < inEnd; k++) {
      const edge = inEdgeOrdinal[k]!;
      if ((essential[edge >>> 5]! & (1 << (edge & 31))) === 0) continue;
      orphan = false;
      // sourceOfEdge, inlined: this loop runs once per retainer of the whole heap.
      let source = edgeSourceBlocks[edge >>> edgeSourceBlockShift]!;
      while (firstOutEdge[source + 1]! <= edge) source++;
      const v = numberOf[source + 1]!;
      // eval's two cheap cases inline (v unlinked; v's ancestor unlinked, so no path to compress).
      const u = v < linkedFrom ? v : ancestor[v]! < linkedFrom ? label[v]! : evaluate(v);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    // A node with no essential retainer is treated as retained by the root alone.
    if (orphan) semi[w] = semi[rootNumber]!;
    linkedFrom = w; // link(parent[w], w)
  }
  // NCA pass in preorder: parents' idoms are final before their children's.
  const idom = label;
  idom[rootNumber] = rootNumber;
  for (let w = 2; w <= count; w++) {
    let x = parent[w]!;
    const s = semi[w]!;
    while (x > s) x = idom[x]!;
    idom[w] = x;
  }
  // semi is dead: the same buffer now takes the answer, by ordinal from index 1.
  if (count > 0) dominatorAndSemi[vertex[rootNumber]!] = vertex[rootNumber]! - 1;
  for (let w = 2; w <= count; w++) dominatorAndSemi[vertex[w]!] = vertex[idom[w]!]! - 1;
}

function grow(stack: Uint32Array): Uint32Array {
  const grown = new Uint32Array(stack.length * 2);
  grown.set(stack);
  return grown;
}
