// Layer 3 (analyses): which edges count for dominators (DevTools computeIsEssentialEdge), one bit per edge (a byte
// per edge would be 13 MB on a 250 MB snapshot, and the bitset stays in cache while Lengauer–Tarjan probes it).
import { newUint32Array } from '../base/large-arrays.js';
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import { NodeFlag } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind } from '../store/kinds.js';
import type { EphemeronNames } from './ephemeron-names.js';
import { edgeKindShift, edgeNameMask, edgeNameOf, overflowName } from '../store/edge-packing.js';

/**
 * V8: an edge n→c is not essential when it is the table→value half of a WeakMap ephemeron (n's id equals the
 * table id in the name), weak, a self edge, a shortcut from a non-root node, or goes from a non-page-owned node
 * to a page-owned node (so console/debugger references do not change page dominators; `nodeFlags` may be null
 * when flags were not computed). Python: every non-weak, non-self edge. Returns a bitset: edge e is essential when
 * bit (e & 31) of word e >>> 5 is set (see isEssential). O(E).
 */
export function computeEssentialEdges(
  store: GraphStore,
  nodeFlags: Uint8Array | null,
  ephemerons: EphemeronNames | null,
  cancel?: CancelToken,
): Uint32Array {
  const { nodeCount, edgeCount, firstOutEdge, edgeTarget, edgeKindAndName, nodeId, rootOrdinal } = store;
  const essential = newUint32Array((edgeCount + 31) >>> 5);
  const v8 = store.language === 'v8';
  const page = NodeFlag.pageObject;
  const weak = EdgeKind.weak;
  const internal = EdgeKind.internal;
  const shortcut = EdgeKind.shortcut;
  // Edges are visited in order, so each 32-edge word is built in a register and stored once.
  let word = 0;
  for (let node = 0; node < nodeCount; node++) {
    if ((node & 0xffff) === 0) throwIfCancelled(cancel);
    const end = firstOutEdge[node + 1]!;
    const isRoot = node === rootOrdinal;
    const nodePage = nodeFlags === null ? page : nodeFlags[node]! & page;
    for (let e = firstOutEdge[node]!; e < end; e++) {
      if (isEssentialEdge(e, node, isRoot, nodePage)) word |= 1 << (e & 31);
      if ((e & 31) === 31) {
        essential[e >>> 5] = word;
        word = 0;
      }
    }
  }
  if ((edgeCount & 31) !== 0) essential[edgeCount >>> 5] = word;
  return essential;

  function isEssentialEdge(e: number, node: number, isRoot: boolean, nodePage: number): boolean {
    const packed = edgeKindAndName[e]!;
    const kind = packed >>> edgeKindShift;
    if (kind === weak) return false;
    const child = edgeTarget[e]!;
    if (child === node) return false;
    if (!v8) return true;
    if (kind === internal && ephemerons !== null) {
      const name = packed & edgeNameMask;
      const pair = ephemerons.pairOf(name !== overflowName ? name : edgeNameOf(store, e));
      if (pair >= 0 && nodeId[node] === ephemerons.tableIdOf(pair)) return false;
    }
    if (!isRoot) {
      if (kind === shortcut) return false;
      if (nodeFlags !== null && nodeFlags[child]! & page && !nodePage) return false;
    }
    return true;
  }
}

/** Whether edge `edge` is set in a computeEssentialEdges bitset. */
export function isEssential(essential: Uint32Array, edge: number): boolean {
  return (essential[edge >>> 5]! & (1 << (edge & 31))) !== 0;
}
