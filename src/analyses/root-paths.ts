// Layer 3 (analyses): the K shortest retaining paths from the root to an object, root first.
import type { DerivedIndexes } from '../store/derived.js';
import { baseSystemDistance, noDistance } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind } from '../store/kinds.js';
import { sourceOfEdge } from '../store/edge-source.js';
import { edgeKindShift } from '../store/edge-packing.js';

/** One step of a path: the node and the edge ordinal that led to it (-1 for the root). */
export interface RootPathStep {
  readonly ordinal: number;
  readonly edge: number;
}

export interface RootPathOptions {
  /** Most paths returned (K ≥ 1). */
  maxPaths: number;
  /** Also walk weak edges (finds paths to weak-only objects); default false. */
  includeWeak?: boolean;
  /** Paths longer than this many edges are not returned; default unlimited. */
  maxLength?: number;
}

/**
 * Up to K shortest retaining paths, root first, each ending at `ordinal`. Without weak edges the paths follow
 * the distance column (each step one closer to a user root, DevTools' preference), so they are the paths the
 * Retainers view expands first; retainers are tried in reverse-CSR order, which makes the result deterministic.
 * With includeWeak a reverse BFS over all edges finds the shortest paths instead. The root's only path is itself;
 * objects no allowed path reaches get []. O(K × length × in-degree) after O(N + E) for includeWeak.
 */
export function findRootPaths(store: GraphStore, derived: DerivedIndexes, ordinal: number, options: RootPathOptions): RootPathStep[][] {
  const maxPaths = Math.max(0, options.maxPaths);
  if (maxPaths === 0) return [];
  if (ordinal === store.rootOrdinal) return [[{ ordinal, edge: -1 }]];
  const maxLength = options.maxLength ?? Infinity;
  const level = options.includeWeak ? levelsTowards(store, ordinal) : distanceLevels(store, derived, ordinal);
  if (level === null) return [];
  const { rank, length } = level;
  if (length > maxLength) return [];
  const { firstInEdge, inEdgeOrdinal, edgeKindAndName, rootOrdinal } = store;
  const weak = options.includeWeak ? -1 : EdgeKind.weak;
  // DFS from the target towards the root along retainers one step closer; stack frames are (node, edge, cursor).
  const nodes: number[] = [ordinal];
  const edges: number[] = [-1];
  const cursors: number[] = [firstInEdge[ordinal]!];
  const paths: RootPathStep[][] = [];
  while (nodes.length > 0 && paths.length < maxPaths) {
    const top = nodes.length - 1;
    const node = nodes[top]!;
    if (node === rootOrdinal) {
      const path: RootPathStep[] = [];
      for (let k = top; k >= 0; k--) path.push({ ordinal: nodes[k]!, edge: k === top ? -1 : edges[k + 1]! });
      paths.push(path);
      nodes.pop();
      edges.pop();
      cursors.pop();
      continue;
    }
    let advanced = false;
    const wanted = rank(node) - 1;
    for (let k = cursors[top]!; k < firstInEdge[node + 1]!; k++) {
      const e = inEdgeOrdinal[k]!;
      if ((edgeKindAndName[e]! >>> edgeKindShift) === weak) continue;
      const source = sourceOfEdge(store, inEdgeOrdinal[k]!);
      if (rank(source) !== wanted) continue;
      cursors[top] = k + 1;
      nodes.push(source);
      edges.push(e);
      cursors.push(firstInEdge[source]!);
      advanced = true;
      break;
    }
    if (!advanced) {
      nodes.pop();
      edges.pop();
      cursors.pop();
    }
  }
  return paths;
}

interface Levels {
  /** Steps from the root: rank(root) = 0, and every path step increases it by one. -1 when unknown. */
  rank(node: number): number;
  /** Edges on a shortest path from the root to the target. */
  length: number;
}

/** Ranks from the distance column: pass-1 nodes count from the root (user roots at 1), system nodes from 10^8. */
function distanceLevels(store: GraphStore, derived: DerivedIndexes, target: number): Levels | null {
  const distance = derived.distance;
  const d = distance[target]!;
  if (d === noDistance || d < 0) return null;
  const root = store.rootOrdinal;
  const rootDistance = distance[root]!;
  const rank = (node: number): number => {
    if (node === root) return 0;
    const value = distance[node]!;
    if (value === noDistance || value < 0) return -1;
    return value >= baseSystemDistance && rootDistance >= baseSystemDistance ? value - rootDistance : value;
  };
  return { rank, length: rank(target) };
}

/** Ranks by a reverse BFS from the target over every edge (weak ones too), stopping at the root's level. */
function levelsTowards(store: GraphStore, target: number): Levels | null {
  const { nodeCount, firstInEdge, inEdgeOrdinal, rootOrdinal } = store;
  const up = new Int32Array(nodeCount).fill(-1);
  const queue = new Uint32Array(nodeCount);
  let length = 0;
  let index = 0;
  up[target] = 0;
  queue[length++] = target;
  while (index < length && up[rootOrdinal] === -1) {
    const node = queue[index++]!;
    for (let k = firstInEdge[node]!; k < firstInEdge[node + 1]!; k++) {
      const source = sourceOfEdge(store, inEdgeOrdinal[k]!);
      if (up[source] !== -1) continue;
      up[source] = up[node]! + 1;
      queue[length++] = source;
    }
  }
  const total = up[rootOrdinal]!;
  if (total === -1) return null;
  return { rank: (node) => (up[node] === -1 ? -1 : total - up[node]!), length: total };
}
