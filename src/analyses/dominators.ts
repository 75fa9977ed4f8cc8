// Layer 3 (analyses): immediate dominators and retained sizes over essential edges, Lengauer–Tarjan
// ("A fast algorithm for finding dominators in a flowgraph", TOPLAS 1979), written iteratively with typed arrays
// and DevTools' handling of nodes the root does not reach (buildDominatorTreeAndCalculateRetainedSizes).
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import { edgeSourceBlockShift } from '../store/edge-source.js';
import type { GraphStore } from '../store/graph-store.js';

export interface DominatorResult {
  /** Immediate dominator ordinal per node; the root dominates itself and every unreachable node. */
  readonly dominator: Uint32Array;
  /** Self size plus the retained sizes of dominated nodes, in bytes. */
  readonly retainedSize: Float64Array;
  /** Nodes not reached from the root over essential edges whose retainers are all non-essential. */
  readonly weakOnlyCount: number;
  /** Remaining unreached nodes (cliques that only retain each other, and what they reach). */
  readonly unreachableCount: number;
}

/**
 * Lengauer–Tarjan with simple link/eval. Unreached nodes are handled as DevTools does: first every node whose
 * retainers are all non-essential is hung under the root and DFS'd from; then any node still unnumbered is
 * numbered alone under the root. A node with no essential retainer gets semi = semi(root). O(E log N).
 * Retained sizes start from `selfSize` (after reattribution) and flow to dominators in reverse preorder.
 */
export function computeDominators(
  store: GraphStore,
  essential: Uint8Array,
  selfSize: Float64Array,
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
   * nodeCount + 1 doubles for accumulateRetainedSizes. Lengauer–Tarjan used its bytes as two of its own scratch
   * arrays first: the retained sizes would be allocated right after anyway, so the load's peak is one array lower.
   */
  readonly retainedSizeBuffer: Float64Array;
}

/** Immediate dominators only (see computeDominators). O(E log N). */
export function computeImmediateDominators(store: GraphStore, essential: Uint8Array, cancel?: CancelToken): ImmediateDominators {
  const nodeCount = store.nodeCount;
  const retainedSizeBuffer = new Float64Array(nodeCount + 1);
  const size = nodeCount + 1;
  const scratch: [Uint32Array, Uint32Array] = [new Uint32Array(retainedSizeBuffer.buffer, 0, size), new Uint32Array(retainedSizeBuffer.buffer, size * 4, size)];
  const numbering = numberVertices(store, essential, scratch, cancel);
  // One longer than the answer: semidominators keeps semi (by preorder number 1..count) here first.
  const dominatorAndSemi = new Uint32Array(nodeCount + 1);
  semidominators(store, essential, numbering, dominatorAndSemi, cancel);
  const dominator = dominatorAndSemi.subarray(1);
  const { vertex, count, weakOnlyCount, unreachableCount } = numbering;
  return { dominator, vertex, count, weakOnlyCount, unreachableCount, retainedSizeBuffer };
}

/** Retained sizes: self sizes flowed up to dominators in reverse preorder. O(N). */
export function accumulateRetainedSizes(immediate: ImmediateDominators, selfSize: Float64Array): Float64Array {
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
function numberVertices(store: GraphStore, essential: Uint8Array, scratch: readonly [Uint32Array, Uint32Array], cancel: CancelToken | undefined): Numbering {
  const { nodeCount, firstOutEdge, edgeTarget, firstInEdge, inEdgeOrdinal } = store;
  const size = nodeCount + 1;
  // parent and nextEdge are only needed while numbering (the later phases keep parents by preorder number), so
  // they live in the caller's zeroed scratch, which the next phase reuses again.
  const [parent, nextEdge] = scratch;
  const semi = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const parentNumber = new Uint32Array(size);
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
        if ((essential[e >>> 3]! & (1 << (e & 7))) === 0) continue;
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
        const edge = inEdgeOrdinal[k]!;
        if ((essential[edge >>> 3]! & (1 << (edge & 7))) !== 0) {
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
 * Phases 2–3: semidominators in reverse preorder, then immediate dominators. The arrays here are indexed by
 * preorder number rather than by vertex: the same algorithm relabelled, so results are identical, but the
 * eval/compress chains walk DFS-tree paths whose numbers are close together, which keeps them in cache.
 * Writes each node's immediate dominator ordinal into `dominator` (the root's is itself; every node is numbered
 * by then, unreachable ones under the root).
 *
 * Memory is the load's peak, so arrays double up where lifetimes allow: semi lives in `dominator` (which is
 * nodeCount + 1 long) until the answer replaces it; a vertex's bucket link dies when its dom is set, so both share
 * one array; and ancestor starts as the parent array, since a vertex is linked exactly when its number is at least
 * `linkedFrom` (the loop links in decreasing order) and compression only rewrites linked vertices.
 */
function semidominators(store: GraphStore, essential: Uint8Array, numbering: Numbering, dominatorAndSemi: Uint32Array, cancel: CancelToken | undefined): void {
  const { firstInEdge, inEdgeOrdinal, firstOutEdge, edgeSourceBlocks } = store;
  const { numberOf, vertex, parentNumber, count } = numbering;
  const semi = dominatorAndSemi;
  const ancestor = parentNumber;
  // label and bucketHead reuse the numbering's dead parent/nextEdge arrays (length nodeCount + 1 ≥ count + 1).
  const [label, bucketHead] = numbering.scratch;
  bucketHead.fill(0);
  for (let i = 1; i <= count; i++) {
    semi[i] = i;
    label[i] = i;
  }
  const domOrNext = new Uint32Array(count + 1);
  let compressStack: Uint32Array = new Uint32Array(1024);
  let linkedFrom = count + 1;
  // eval(v) of the paper with path compression on an explicit stack. DevTools uses the simple link/eval
  // variant; the balanced one returns different (equally minimal) vertices on ties, which changes DevTools'
  // answers for unreachable cliques, so gcsh keeps the simple one.
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
      if ((essential[edge >>> 3]! & (1 << (edge & 7))) === 0) continue;
      orphan = false;
      // sourceOfEdge, inlined: this loop runs once per retainer of the whole heap.
      let source = edgeSourceBlocks[edge >>> edgeSourceBlockShift]!;
      while (firstOutEdge[source + 1]! <= edge) source++;
      const u = evaluate(numberOf[source + 1]!);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    // A node with no essential retainer is treated as retained by the root alone.
    if (orphan) semi[w] = semi[rootNumber]!;
    const s = semi[w]!;
    domOrNext[w] = bucketHead[s]!; // w joins bucket(s); its link is read before its dom overwrites it
    bucketHead[s] = w;
    const p = ancestor[w]!; // w is not linked yet, so this is still its DFS parent
    linkedFrom = w; // link(parent[w], w)
    for (let v = bucketHead[p]!; v !== 0; ) {
      const next = domOrNext[v]!;
      const u = evaluate(v);
      domOrNext[v] = semi[u]! < semi[v]! ? u : p;
      v = next;
    }
    bucketHead[p] = 0;
  }
  const dom = domOrNext;
  // Vertices left in buckets never processed get dom 0, which falls to the root below (as in DevTools).
  for (let s = 1; s <= count; s++) {
    for (let v = bucketHead[s]!; v !== 0; ) {
      const next = dom[v]!;
      dom[v] = 0;
      v = next;
    }
  }
  dom[0] = dom[rootNumber] = rootNumber;
  for (let w = 2; w <= count; w++) if (dom[w] !== semi[w]) dom[w] = dom[dom[w]!]!;
  // semi is dead: the same buffer now takes the answer, by ordinal from index 1.
  for (let w = 1; w <= count; w++) dominatorAndSemi[vertex[w]!] = vertex[dom[w]!]! - 1;
}

function grow(stack: Uint32Array): Uint32Array {
  const grown = new Uint32Array(stack.length * 2);
  grown.set(stack);
  return grown;
}
