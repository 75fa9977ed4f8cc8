// Layer 3 (analyses): DevTools' shallow-size reattribution (JSHeapSnapshot.calculateShallowSizes). Internal
// arrays and hidden objects owned by exactly one JS object have their self size moved onto that owner, in place
// on store.selfSize, before retained sizes are computed.
import { newUint32Array } from '../base/large-arrays.js';
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { userRootPredicate } from './distances.js';
import { stringEquals } from './string-match.js';
import { edgeKindShift } from '../store/edge-packing.js';

const unvisited = 0xffffffff;
const multipleOwners = 0xfffffffe;

/** What reattribution did: for the index file and for tests. */
export interface ShallowSizeReport {
  /** False when the snapshot has no user roots (d8, expose-internals): DevTools then shows raw sizes. */
  readonly applied: boolean;
  /** Nodes whose size moved to their owner (including nodes whose size was already 0). */
  readonly movedCount: number;
}

/** Whether some child of the root is a DevTools user root. */
export function hasUserRoots(store: GraphStore): boolean {
  if (store.nodeCount === 0) return false;
  const isUserRoot = userRootPredicate(store);
  const { firstOutEdge, edgeTarget, rootOrdinal } = store;
  for (let e = firstOutEdge[rootOrdinal]!; e < firstOutEdge[rootOrdinal + 1]!; e++) if (isUserRoot(edgeTarget[e]!)) return true;
  return false;
}

/**
 * Move the self size of each ownable node (hidden, array, or native "system / ExternalStringData") with exactly
 * one owner onto that owner, unless the owner is synthetic or the root. Ownership flows from every other node
 * over non-weak edges, through chains of ownable nodes. Runs only when the root has user roots.
 * Idempotent: ownership does not depend on sizes, and a second run moves only zeros. O(N + E).
 */
export function reattributeShallowSizes(store: GraphStore, cancel?: CancelToken): ShallowSizeReport {
  if (store.language !== 'v8' || !hasUserRoots(store)) return { applied: false, movedCount: 0 };
  const { nodeCount, nodeKind, nodeName, firstOutEdge, edgeTarget, edgeKindAndName, rootOrdinal } = store;
  const selfSize = store.selfSize;
  // The note (v8-heapsnapshot.md §12) lists native "system / ExternalStringData" as ownable for 2026 DevTools;
  // older DevTools sources only treat hidden and array nodes as ownable.
  const isExternalStringData = stringEquals(store.strings, 'system / ExternalStringData');
  const owners = newUint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    const kind = nodeKind[i];
    const ownable = kind === NodeKind.hidden || kind === NodeKind.array || (kind === NodeKind.native && isExternalStringData(nodeName[i]!));
    owners[i] = ownable ? unvisited : i;
  }
  // From each owner in turn, flood its ownable descendants. A node reached from a second owner becomes
  // multipleOwners and floods again, so each enters the stack at most twice and the result does not depend on the
  // order (DevTools seeds one list with every owner; a per-owner stack holds only ownable nodes, a few at a time).
  let stack: Uint32Array = new Uint32Array(4096);
  let iterations = 0;
  for (let start = 0; start < nodeCount; start++) {
    if (owners[start] !== start) continue;
    let length = 0;
    stack[length++] = start;
    while (length > 0) {
      if ((++iterations & 0xffff) === 0) throwIfCancelled(cancel);
      const node = stack[--length]!;
      const owner = owners[node]!;
      const end = firstOutEdge[node + 1]!;
      for (let e = firstOutEdge[node]!; e < end; e++) {
        if ((edgeKindAndName[e]! >>> edgeKindShift) === EdgeKind.weak) continue;
        const target = edgeTarget[e]!;
        const current = owners[target]!;
        if (current === unvisited) owners[target] = owner;
        else if (current !== target && current !== owner && current !== multipleOwners) owners[target] = multipleOwners;
        else continue;
        if (length === stack.length) stack = grown(stack);
        stack[length++] = target;
      }
    }
  }
  let movedCount = 0;
  for (let i = 0; i < nodeCount; i++) {
    const owner = owners[i]!;
    if (owner === unvisited || owner === multipleOwners || owner === i) continue;
    if (nodeKind[owner] === NodeKind.synthetic || owner === rootOrdinal) continue;
    selfSize[owner] += selfSize[i]!;
    selfSize[i] = 0;
    movedCount++;
  }
  return { applied: true, movedCount };
}

function grown(stack: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(stack.length * 2);
  bigger.set(stack);
  return bigger;
}
