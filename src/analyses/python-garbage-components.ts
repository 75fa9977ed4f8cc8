// Layer 3 (analyses): the cycle structure of a Python snapshot's garbage: strongly connected components of the
// unreachable subgraph (iterative Tarjan, no recursion), which are cycles, and which are sources ("key cycles",
// refcycle's source_components): breaking a source frees everything it holds.
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind } from '../store/kinds.js';
import { edgeKindShift } from '../store/edge-packing.js';

/** Bits shared with GarbageFlag in python-unreachable.ts (kept equal there). */
const cycleSourceBit = 16;
const inCycleBit = 32;

export interface GarbageComponents {
  readonly sccOf: Int32Array;
  readonly sccCount: number;
  readonly sccSize: Uint32Array;
  readonly sccBytes: Float64Array;
  readonly sccIsCycle: Uint8Array;
  readonly sccIsSource: Uint8Array;
  readonly garbageOrder: Uint32Array;
  readonly cycleCount: number;
  readonly sourceCycleCount: number;
}

/**
 * SCCs of the subgraph induced by `unreachable` over strong edges. Sets inCycle/cycleSource bits in garbageFlags.
 * O(N + E). Components are numbered in Tarjan's completion order (reverse topological: sinks first).
 */
export function garbageComponents(store: GraphStore, unreachable: Uint8Array, garbageFlags: Uint16Array): GarbageComponents {
  const { firstOutEdge, edgeTarget, edgeKindAndName, nodeCount } = store;
  const sccOf = new Int32Array(nodeCount).fill(-1);
  const index = new Int32Array(nodeCount).fill(-1);
  const lowLink = new Int32Array(nodeCount);
  const onStack = new Uint8Array(nodeCount);
  const tarjanStack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  let nextIndex = 0;
  let sccCount = 0;
  const isStrongInside = (e: number) => (edgeKindAndName[e]! >>> edgeKindShift) !== EdgeKind.weak && unreachable[edgeTarget[e]!] === 1;

  for (let start = 0; start < nodeCount; start++) {
    if (!unreachable[start] || index[start] !== -1) continue;
    index[start] = lowLink[start] = nextIndex++;
    tarjanStack.push(start);
    onStack[start] = 1;
    callNode.push(start);
    callEdge.push(firstOutEdge[start]!);
    while (callNode.length > 0) {
      const depth = callNode.length - 1;
      const v = callNode[depth]!;
      let e = callEdge[depth]!;
      let descended = false;
      for (; e < firstOutEdge[v + 1]!; e++) {
        if (!isStrongInside(e)) continue;
        const w = edgeTarget[e]!;
        if (index[w] === -1) {
          callEdge[depth] = e + 1;
          index[w] = lowLink[w] = nextIndex++;
          tarjanStack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(firstOutEdge[w]!);
          descended = true;
          break;
        }
        if (onStack[w] && index[w]! < lowLink[v]!) lowLink[v] = index[w]!;
      }
      if (descended) continue;
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        if (lowLink[v]! < lowLink[parent]!) lowLink[parent] = lowLink[v]!;
      }
      if (lowLink[v] === index[v]) {
        let w: number;
        do {
          w = tarjanStack.pop()!;
          onStack[w] = 0;
          sccOf[w] = sccCount;
        } while (w !== v);
        sccCount++;
      }
    }
  }
  return describeComponents(store, unreachable, garbageFlags, sccOf, sccCount);
}

function describeComponents(
  store: GraphStore,
  unreachable: Uint8Array,
  garbageFlags: Uint16Array,
  sccOf: Int32Array,
  sccCount: number,
): GarbageComponents {
  const { firstOutEdge, edgeTarget, edgeKindAndName, nodeCount, selfSize } = store;
  const sccSize = new Uint32Array(sccCount);
  const sccBytes = new Float64Array(sccCount);
  const sccIsCycle = new Uint8Array(sccCount);
  const sccIsSource = new Uint8Array(sccCount).fill(1);
  let garbageCount = 0;
  for (let o = 0; o < nodeCount; o++) {
    const c = sccOf[o]!;
    if (c < 0) continue;
    garbageCount++;
    sccSize[c]!++;
    sccBytes[c]! += selfSize[o]!;
    for (let e = firstOutEdge[o]!; e < firstOutEdge[o + 1]!; e++) {
      if ((edgeKindAndName[e]! >>> edgeKindShift) === EdgeKind.weak) continue;
      const w = edgeTarget[e]!;
      if (!unreachable[w]) continue;
      const d = sccOf[w]!;
      if (d === c) {
        if (w === o) sccIsCycle[c] = 1; // a self-reference
      } else sccIsSource[d] = 0;
    }
  }
  let cycleCount = 0;
  let sourceCycleCount = 0;
  for (let c = 0; c < sccCount; c++) {
    if (sccSize[c]! > 1) sccIsCycle[c] = 1;
    if (sccIsCycle[c]) cycleCount++;
    if (sccIsCycle[c] && sccIsSource[c]) sourceCycleCount++;
  }
  for (let o = 0; o < nodeCount; o++) {
    const c = sccOf[o]!;
    if (c < 0 || !sccIsCycle[c]) continue;
    garbageFlags[o]! |= inCycleBit;
    if (sccIsSource[c]) garbageFlags[o]! |= cycleSourceBit;
  }
  // Order: source cycles by bytes (largest first), then every other component in topological order (sources first).
  const components = Array.from({ length: sccCount }, (_, c) => c);
  const rank = (c: number) => (sccIsCycle[c] && sccIsSource[c] ? 0 : 1);
  components.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? sccBytes[b]! - sccBytes[a]! : b - a));
  const position = new Uint32Array(sccCount);
  components.forEach((c, i) => (position[c] = i));
  const firstOfPosition = new Uint32Array(sccCount + 1);
  for (let c = 0; c < sccCount; c++) firstOfPosition[position[c]! + 1] = sccSize[c]!;
  for (let p = 0; p < sccCount; p++) firstOfPosition[p + 1]! += firstOfPosition[p]!;
  const garbageOrder = new Uint32Array(garbageCount);
  for (let o = 0; o < nodeCount; o++) {
    const c = sccOf[o]!;
    if (c >= 0) garbageOrder[firstOfPosition[position[c]!]!++] = o;
  }
  return { sccOf, sccCount, sccSize, sccBytes, sccIsCycle, sccIsSource, garbageOrder, cycleCount, sourceCycleCount };
}
