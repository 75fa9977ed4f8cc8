// Layer 3 (analyses): distances from the roots. V8 follows DevTools calculateDistances exactly (user roots
// first, then the root at baseSystemDistance, weak edges never followed, plus the JS filters); Python is a
// plain BFS from the reader's root over non-weak edges.
import { newInt32Array, newUint32Array } from '../base/large-arrays.js';
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import { baseSystemDistance, noDistance } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind, NodeKind, edgeNameIsIndex, edgeHasNoName } from '../store/kinds.js';
import { EphemeronNames } from './ephemeron-names.js';
import { stringEquals } from './string-match.js';
import { edgeKindOf, edgeKindShift, edgeNameOf } from '../store/edge-packing.js';

const cancelMask = 0xffff;

/** Distances for any store: DevTools rules for V8, plain BFS for Python. O(N + E). */
export function computeDistances(store: GraphStore, cancel?: CancelToken, ephemerons?: EphemeronNames): Int32Array {
  return store.language === 'v8' ? computeV8Distances(store, cancel, ephemerons) : computeRootDistances(store, cancel);
}

/** True for DevTools user roots: a non-synthetic child of the root, or the synthetic "(Document DOM trees)". */
export function userRootPredicate(store: GraphStore): (ordinal: number) => boolean {
  const isDomTrees = stringEquals(store.strings, '(Document DOM trees)');
  const kinds = store.nodeKind;
  const names = store.nodeName;
  return (ordinal) => kinds[ordinal] !== NodeKind.synthetic || isDomTrees(names[ordinal]!);
}

/**
 * DevTools calculateDistances: BFS from the user roots at distance 1, then from the root at 10^8 (or 0 when
 * there are no user roots, as in d8 and expose-internals snapshots). Edges skipped: weak; `sloppy_function_map`
 * of the hidden "system / NativeContext"; slots k ≥ 2 with k % 3 === 1 of "(map descriptors)" arrays
 * (crbug 413608); and the first-seen edge of each WeakMap ephemeron pair, so a value ends one past the later of
 * its table and key (crbug 1290800).
 */
export function computeV8Distances(store: GraphStore, cancel?: CancelToken, ephemerons?: EphemeronNames): Int32Array {
  const nodeCount = store.nodeCount;
  const root = store.rootOrdinal;
  const distances = newInt32Array(nodeCount).fill(noDistance);
  if (nodeCount === 0) return distances;
  const filter = new V8DistanceFilter(store, ephemerons ?? new EphemeronNames(store.strings));
  // A plain array, not a ring: this runs after the dominators, when memory is not at its peak, and is faster.
  const queue = newUint32Array(nodeCount);
  let length = 0;
  const isUserRoot = userRootPredicate(store);
  const { firstOutEdge, edgeTarget } = store;
  for (let e = firstOutEdge[root]!; e < firstOutEdge[root + 1]!; e++) {
    const child = edgeTarget[e]!;
    if (isUserRoot(child) && distances[child] !== 1) {
      distances[child] = 1;
      queue[length++] = child;
    }
  }
  const hadUserRoots = length > 0;
  v8Bfs(store, queue, length, distances, filter, cancel);
  distances[root] = hadUserRoots ? baseSystemDistance : 0;
  queue[0] = root;
  v8Bfs(store, queue, 1, distances, filter, cancel);
  return distances;
}

/** The stateful JS edge filter of DevTools' JSHeapSnapshot.calculateDistances (shared by both passes). */
class V8DistanceFilter {
  /** 1: the hidden "system / NativeContext"; 2: a "(map descriptors)" array; 0: no special rule. */
  readonly special: Uint8Array;
  private readonly isSloppyFunctionMap: (index: number) => boolean;
  private readonly ephemerons: EphemeronNames;
  private pending = new Uint8Array(64);
  private readonly store: GraphStore;

  constructor(store: GraphStore, ephemerons: EphemeronNames) {
    this.store = store;
    this.ephemerons = ephemerons;
    this.isSloppyFunctionMap = stringEquals(store.strings, 'sloppy_function_map');
    const isNativeContext = stringEquals(store.strings, 'system / NativeContext');
    const isMapDescriptors = stringEquals(store.strings, '(map descriptors)');
    const { nodeKind, nodeName, nodeCount } = store;
    const special = new Uint8Array(nodeCount);
    for (let i = 0; i < nodeCount; i++) {
      const kind = nodeKind[i];
      if (kind === NodeKind.hidden && isNativeContext(nodeName[i]!)) special[i] = 1;
      else if (kind === NodeKind.array && isMapDescriptors(nodeName[i]!)) special[i] = 2;
    }
    this.special = special;
  }

  /** Whether the BFS may follow edge `e` out of `node` (called only for non-weak edges to unvisited targets). */
  follow(node: number, e: number): boolean {
    const store = this.store;
    const kind = edgeKindOf(store, e);
    const special = this.special[node]!;
    if (special === 1) {
      if (!edgeNameIsIndex(kind) && !edgeHasNoName(kind) && this.isSloppyFunctionMap(edgeNameOf(store, e))) return false;
    } else if (special === 2) {
      const index = edgeNameIsIndex(kind) ? edgeNameOf(store, e) : parseInt(store.strings.get(edgeNameOf(store, e)), 10);
      return index < 2 || index % 3 !== 1;
    }
    if (kind === EdgeKind.internal) {
      const pair = this.ephemerons.pairOf(edgeNameOf(store, e));
      if (pair >= 0) {
        if (pair >= this.pending.length) {
          const grown = new Uint8Array(Math.max(pair + 1, this.pending.length * 2));
          grown.set(this.pending);
          this.pending = grown;
        }
        // First edge of the pair seen: skip it and remember; the second one is followed.
        if (this.pending[pair] === 0) {
          this.pending[pair] = 1;
          return false;
        }
        this.pending[pair] = 0;
      }
    }
    return true;
  }
}

function v8Bfs(
  store: GraphStore,
  queue: Uint32Array,
  initialLength: number,
  distances: Int32Array,
  filter: V8DistanceFilter,
  cancel: CancelToken | undefined,
): void {
  const { firstOutEdge, edgeTarget, edgeKindAndName } = store;
  const special = filter.special;
  const weak = EdgeKind.weak;
  const internal = EdgeKind.internal;
  let length = initialLength;
  let index = 0;
  while (index < length) {
    if ((index & cancelMask) === 0) throwIfCancelled(cancel);
    const node = queue[index++]!;
    const distance = distances[node]! + 1;
    const end = firstOutEdge[node + 1]!;
    const plain = special[node] === 0;
    for (let e = firstOutEdge[node]!; e < end; e++) {
      const kind = edgeKindAndName[e]! >>> edgeKindShift;
      if (kind === weak) continue;
      const child = edgeTarget[e]!;
      if (distances[child] !== noDistance) continue;
      // Only special nodes and internal edges can be filtered; everything else skips the call.
      if ((!plain || kind === internal) && !filter.follow(node, e)) continue;
      distances[child] = distance;
      queue[length++] = child;
    }
  }
}

/** BFS from the root over non-weak edges, root at distance 0 (Python stores). */
export function computeRootDistances(store: GraphStore, cancel?: CancelToken): Int32Array {
  const nodeCount = store.nodeCount;
  const distances = new Int32Array(nodeCount).fill(noDistance);
  if (nodeCount === 0) return distances;
  const { firstOutEdge, edgeTarget, edgeKindAndName } = store;
  const queue = new Uint32Array(nodeCount);
  const weak = EdgeKind.weak;
  distances[store.rootOrdinal] = 0;
  queue[0] = store.rootOrdinal;
  let length = 1;
  let index = 0;
  while (index < length) {
    if ((index & cancelMask) === 0) throwIfCancelled(cancel);
    const node = queue[index++]!;
    const distance = distances[node]! + 1;
    const end = firstOutEdge[node + 1]!;
    for (let e = firstOutEdge[node]!; e < end; e++) {
      if ((edgeKindAndName[e]! >>> edgeKindShift) === weak) continue;
      const child = edgeTarget[e]!;
      if (distances[child] !== noDistance) continue;
      distances[child] = distance;
      queue[length++] = child;
    }
  }
  return distances;
}
