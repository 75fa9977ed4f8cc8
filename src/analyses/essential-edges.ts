// Layer 3 (analyses): which edges count for dominators (DevTools computeIsEssentialEdge), one bit per edge (a byte
// per edge would be 13 MB on a 250 MB snapshot, and the bitset stays in cache while Lengauer–Tarjan probes it).
import { newUint8Array } from '../base/large-arrays.js';
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import { NodeFlag } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind } from '../store/kinds.js';
import type { EphemeronNames } from './ephemeron-names.js';
import { edgeKindShift, edgeNameOf } from '../store/edge-packing.js';

/**
 * V8: an edge n→c is not essential when it is the table→value half of a WeakMap ephemeron (n's id equals the
 * table id in the name), weak, a self edge, a shortcut from a non-root node, or goes from a non-page-owned node
 * to a page-owned node (so console/debugger references do not change page dominators; `nodeFlags` may be null
 * when flags were not computed). Python: every non-weak, non-self edge. Returns a bitset: edge e is essential when
 * bit (e & 7) of byte e >>> 3 is set (see isEssential). O(E).
 */
export function computeEssentialEdges(
  store: GraphStore,
  nodeFlags: Uint8Array | null,
  ephemerons: EphemeronNames | null,
  cancel?: CancelToken,
): Uint8Array {
  const { nodeCount, edgeCount, firstOutEdge, edgeTarget, edgeKindAndName, nodeId, rootOrdinal } = store;
  const essential = newUint8Array((edgeCount + 7) >>> 3);
  const v8 = store.language === 'v8';
  const page = NodeFlag.pageObject;
  for (let node = 0; node < nodeCount; node++) {
    if ((node & 0xffff) === 0) throwIfCancelled(cancel);
    const end = firstOutEdge[node + 1]!;
    const isRoot = node === rootOrdinal;
    const nodePage = nodeFlags === null ? page : nodeFlags[node]! & page;
    for (let e = firstOutEdge[node]!; e < end; e++) {
      const kind = edgeKindAndName[e]! >>> edgeKindShift;
      if (kind === EdgeKind.weak) continue;
      const child = edgeTarget[e]!;
      if (child === node) continue;
      if (v8) {
        if (kind === EdgeKind.internal && ephemerons !== null) {
          const pair = ephemerons.pairOf(edgeNameOf(store, e));
          if (pair >= 0 && nodeId[node] === ephemerons.tableIdOf(pair)) continue;
        }
        if (!isRoot) {
          if (kind === EdgeKind.shortcut) continue;
          if (nodeFlags !== null && nodeFlags[child]! & page && !nodePage) continue;
        }
      }
      essential[e >>> 3] |= 1 << (e & 7);
    }
  }
  return essential;
}

/** Whether edge `edge` is set in a computeEssentialEdges bitset. */
export function isEssential(essential: Uint8Array, edge: number): boolean {
  return (essential[edge >>> 3]! & (1 << (edge & 7))) !== 0;
}
