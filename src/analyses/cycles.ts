// Layer 3 (analyses): reference cycles = strongly connected components with more than one node or a self edge,
// ranked by what they keep alive; and the shortest cycle through one object.
import type { CancelToken } from '../base/cancel.js';
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore, NodeNumberColumn } from '../store/graph-store.js';
import { EdgeKind, NodeKind, edgeHasNoName, edgeNameIsIndex } from '../store/kinds.js';
import { buildDominatorTree, type DominatorTree } from './dominator-tree.js';
import { stronglyConnectedComponents, type StronglyConnectedComponents } from './scc.js';
import { stringEquals } from './string-match.js';
import { edgeKindShift, edgeNameOf } from '../store/edge-packing.js';

export interface CycleFilterOptions {
  /** Follow weak edges; default false. */
  includeWeak?: boolean;
  /** Keep engine-internal nodes and edges (see cycleFilters); default false. */
  includeInternal?: boolean;
}

export interface FindCyclesOptions extends CycleFilterOptions {
  /** Smallest number of member objects; default 1 (a single object counts only with a self edge). */
  minSize?: number;
  /** Keep a cycle only if some member's class passes. */
  classFilter?: (classIndex: number) => boolean;
  /** Most cycles returned; default all. totalCount still counts every match. */
  limit?: number;
  /** A dominator tree already built for this snapshot. */
  tree?: DominatorTree;
  /** Sort each cycle's members by retained size (default true); callers showing a few members can skip it. */
  sortMembers?: boolean;
  cancel?: CancelToken;
}

export interface Cycle {
  /** Component index in `components`. */
  readonly component: number;
  /** Member ordinals, largest retained size first (ties: ascending ordinal); ascending ordinals with sortMembers false. */
  readonly members: Uint32Array;
  /** Σ self sizes of the members, bytes. */
  readonly size: number;
  /**
   * Bytes the cycle keeps alive: Σ retained sizes of the members that no other member dominates. Members
   * dominated by another member are already inside that member's retained size, so nothing counts twice.
   */
  readonly retainedSize: number;
  /** True for a single object that references itself. */
  readonly selfReference: boolean;
}

export interface CyclesResult {
  /** Ranked by retainedSize, then size, descending; then by smallest member ordinal. */
  readonly cycles: Cycle[];
  /** Cycles matching the options before `limit`. */
  readonly totalCount: number;
  readonly components: StronglyConnectedComponents;
}

/**
 * Which nodes and edges a user can act on. Weak edges are skipped unless includeWeak. Unless includeInternal:
 * - V8: nodes of kind hidden (class "(system)"), code, synthetic and object shape are left out (maps,
 *   descriptor arrays, native contexts, compiled code: the engine's own, always cyclic structures); shortcut
 *   edges are skipped (synthetic links from the root), and so is a closure's `prototype` edge, which otherwise
 *   makes every function and its prototype (`prototype` ↔ `constructor`) a cycle.
 * - Python: nodes named "module" are left out and edges named `__globals__` / `__builtins__` skipped, which
 *   otherwise join every module's functions and globals into one component.
 * Returns masks for stronglyConnectedComponents (1 = skip).
 */
export function cycleFilters(store: GraphStore, options: CycleFilterOptions = {}): { skipNode: Uint8Array; skipEdge: Uint8Array } {
  const { nodeCount, edgeCount, nodeKind, nodeName, firstOutEdge, edgeKindAndName } = store;
  const skipNode = new Uint8Array(nodeCount);
  const skipEdge = new Uint8Array(edgeCount);
  // -1 never matches a kind: the rule is off.
  const weak = options.includeWeak ? -1 : EdgeKind.weak;
  if (options.includeInternal || store.language === 'v8') {
    // One pass over the edges: the weak rule, and for V8 (unless includeInternal) the shortcut and prototype rules.
    const internalRules = !options.includeInternal;
    const shortcut = internalRules ? EdgeKind.shortcut : -1;
    const isPrototype = stringEquals(store.strings, 'prototype');
    for (let i = 0; i < nodeCount; i++) {
      const kind = nodeKind[i];
      if (internalRules && (kind === NodeKind.hidden || kind === NodeKind.code || kind === NodeKind.synthetic || kind === NodeKind.objectShape))
        skipNode[i] = 1;
      const closure = internalRules && kind === NodeKind.closure;
      const end = firstOutEdge[i + 1]!;
      for (let e = firstOutEdge[i]!; e < end; e++) {
        const edge = edgeKindAndName[e]! >>> edgeKindShift;
        if (edge === weak || edge === shortcut || (closure && edge === EdgeKind.property && isPrototype(edgeNameOf(store, e)))) skipEdge[e] = 1;
      }
    }
  } else {
    for (let e = 0; e < edgeCount; e++) if ((edgeKindAndName[e]! >>> edgeKindShift) === weak) skipEdge[e] = 1;
    const isModule = stringEquals(store.strings, 'module');
    const isGlobals = stringEquals(store.strings, '__globals__');
    const isBuiltins = stringEquals(store.strings, '__builtins__');
    for (let i = 0; i < nodeCount; i++) if (isModule(nodeName[i]!)) skipNode[i] = 1;
    for (let e = 0; e < edgeCount; e++) {
      const kind = edgeKindAndName[e]! >>> edgeKindShift;
      if (edgeNameIsIndex(kind) || edgeHasNoName(kind)) continue;
      if (isGlobals(edgeNameOf(store, e)) || isBuiltins(edgeNameOf(store, e))) skipEdge[e] = 1;
    }
  }
  return { skipNode, skipEdge };
}

/** All cycles, ranked. O(N + E) for the components plus O(N) for the dominator tree when not supplied. */
export function findCycles(store: GraphStore, derived: DerivedIndexes, options: FindCyclesOptions = {}): CyclesResult {
  const { skipNode, skipEdge } = cycleFilters(store, options);
  const components = stronglyConnectedComponents(store, { includeWeak: true, skipNode, skipEdge, cancel: options.cancel });
  const { firstMember, members, componentCount } = components;
  const tree = options.tree ?? buildDominatorTree(store, derived);
  const { firstOutEdge, edgeTarget, selfSize } = store;
  const { retainedSize, classOf } = derived;
  const minSize = Math.max(1, options.minSize ?? 1);
  // Preorder position → node, so a cycle's members can be put in dominator-tree preorder by a native numeric sort.
  const nodeAtEnter = new Uint32Array(store.nodeCount);
  for (let i = 0; i < store.nodeCount; i++) nodeAtEnter[tree.enter[i]!] = i;
  const found: Cycle[] = [];
  for (let c = 0; c < componentCount; c++) {
    const from = firstMember[c]!;
    const to = firstMember[c + 1]!;
    const count = to - from;
    if (count < minSize) continue;
    let selfReference = false;
    if (count === 1) {
      const node = members[from]!;
      if (skipNode[node]) continue;
      for (let e = firstOutEdge[node]!; e < firstOutEdge[node + 1]! && !selfReference; e++) selfReference = edgeTarget[e] === node && !skipEdge[e];
      if (!selfReference) continue;
    }
    const list = members.slice(from, to);
    if (options.classFilter && !list.some((m) => options.classFilter!(classOf[m]!))) continue;
    let size = 0;
    for (const m of list) size += selfSize[m]!;
    const retained = count === 1 ? retainedSize[list[0]!]! : cycleRetainedSize(list, tree, nodeAtEnter, retainedSize);
    found.push({ component: c, members: list, size, retainedSize: retained, selfReference });
  }
  found.sort((a, b) => b.retainedSize - a.retainedSize || b.size - a.size || minOf(a.members) - minOf(b.members));
  const cycles = options.limit === undefined ? found : found.slice(0, options.limit);
  if (options.sortMembers !== false) for (const cycle of cycles) cycle.members.sort((x, y) => retainedSize[y]! - retainedSize[x]! || x - y);
  return { cycles, totalCount: found.length, components };
}

function minOf(list: Uint32Array): number {
  let min = 0xffffffff;
  for (const m of list) if (m < min) min = m;
  return min;
}

/** Σ retained sizes of members not dominated by another member, using preorder intervals. O(k log k), native sort. */
function cycleRetainedSize(list: Uint32Array, tree: DominatorTree, nodeAtEnter: Uint32Array, retainedSize: NodeNumberColumn): number {
  const { enter, exit } = tree;
  const positions = new Uint32Array(list.length);
  for (let i = 0; i < list.length; i++) positions[i] = enter[list[i]!]!;
  positions.sort();
  let total = 0;
  let coveredUntil = -1;
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!;
    if (position < coveredUntil) continue; // inside an earlier member's dominator subtree
    const m = nodeAtEnter[position]!;
    total += retainedSize[m]!;
    coveredUntil = exit[m]!;
  }
  return total;
}

/** The `count` members retaining the most, largest first (ties: lower ordinal). O(k · count). */
export function largestMembers(members: Uint32Array, retainedSize: NodeNumberColumn, count: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const value = retainedSize[m]!;
    if (best.length === count && value <= retainedSize[best[best.length - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && (retainedSize[best[at - 1]!]! < value || (retainedSize[best[at - 1]!]! === value && best[at - 1]! > m))) at--;
    best.splice(at, 0, m);
    if (best.length > count) best.pop();
  }
  return best;
}

export interface CyclePath {
  /** The cycle's nodes starting at the asked ordinal; edges[i] goes from nodes[i] to nodes[(i + 1) % length]. */
  readonly nodes: number[];
  readonly edges: number[];
  /** True when no cycle exists among user-actionable nodes and internal ones had to be used. */
  readonly usedInternal: boolean;
}

/**
 * The shortest cycle through `ordinal`: BFS from its successors back to it, first over user-actionable nodes and
 * edges (cycleFilters), then, if none, over everything but weak edges (unless includeWeak). null when the node is
 * on no cycle. O(N + E) per call.
 */
export function shortestCycleThrough(store: GraphStore, ordinal: number, options: CycleFilterOptions = {}): CyclePath | null {
  const attempts = options.includeInternal ? [true] : [false, true];
  for (const includeInternal of attempts) {
    const { skipNode, skipEdge } = cycleFilters(store, { includeWeak: options.includeWeak, includeInternal });
    skipNode[ordinal] = 0;
    const found = bfsBack(store, ordinal, skipNode, skipEdge);
    if (found) return { ...found, usedInternal: includeInternal && !options.includeInternal };
  }
  return null;
}

function bfsBack(store: GraphStore, start: number, skipNode: Uint8Array, skipEdge: Uint8Array): { nodes: number[]; edges: number[] } | null {
  const { nodeCount, firstOutEdge, edgeTarget } = store;
  for (let e = firstOutEdge[start]!; e < firstOutEdge[start + 1]!; e++) {
    if (edgeTarget[e] === start && !skipEdge[e]) return { nodes: [start], edges: [e] };
  }
  const none = 0xffffffff;
  const viaEdge = new Uint32Array(nodeCount).fill(none);
  const queue = new Uint32Array(nodeCount);
  let length = 0;
  let index = 0;
  queue[length++] = start;
  while (index < length) {
    const node = queue[index++]!;
    for (let e = firstOutEdge[node]!; e < firstOutEdge[node + 1]!; e++) {
      if (skipEdge[e]) continue;
      const target = edgeTarget[e]!;
      if (target === start && node !== start) {
        const nodes: number[] = [];
        const edges: number[] = [e];
        for (let v = node; v !== start; ) {
          nodes.push(v);
          const via = viaEdge[v]!;
          edges.push(via);
          v = sourceOfEdge(store, via);
        }
        nodes.push(start);
        nodes.reverse();
        edges.reverse();
        return { nodes, edges };
      }
      if (target === start || skipNode[target] || viaEdge[target] !== none) continue;
      viaEdge[target] = e;
      queue[length++] = target;
    }
  }
  return null;
}

/** The source ordinal of edge `e`: binary search in firstOutEdge. O(log N). */
export function sourceOfEdge(store: GraphStore, e: number): number {
  const first = store.firstOutEdge;
  let lo = 0;
  let hi = store.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (first[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
