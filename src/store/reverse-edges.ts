// Layer 1 (store): the reverse CSR (retainers), built by counting sort in O(N + E): one offset array and one edge
// ordinal per retainer. A retainer's source node comes from the forward CSR (edge-source.ts), not a fourth column.
import { newUint32Array } from '../base/large-arrays.js';
import { buildEdgeSourceBlocks } from './edge-source.js';

export interface ReverseEdges {
  readonly firstInEdge: Uint32Array;
  readonly inEdgeOrdinal: Uint32Array;
  /** See edge-source.ts: the source of every 32nd edge, for sourceOfEdge. */
  readonly edgeSourceBlocks: Uint32Array;
}

/** Group edges by target. Within a target, retainers stay in source order (as DevTools' buildRetainers does). */
export function buildReverseEdges(nodeCount: number, firstOutEdge: Uint32Array, edgeTarget: Uint32Array): ReverseEdges {
  const edgeCount = edgeTarget.length;
  const firstInEdge = newUint32Array(nodeCount + 1);
  // Count into firstInEdge[t + 1] and prefix-sum, so firstInEdge[t + 1] is the end of t's run; filling by
  // pre-decrement leaves it at the run's start, so no cursor array is needed. Edges go last to first so that each
  // run ends up in ascending edge (hence source) order.
  for (let e = 0; e < edgeCount; e++) firstInEdge[edgeTarget[e]! + 1]++;
  for (let i = 0; i < nodeCount; i++) firstInEdge[i + 1] += firstInEdge[i]!;
  const inEdgeOrdinal = new Uint32Array(edgeCount);
  const runEnd = firstInEdge.subarray(1); // runEnd[t] = firstInEdge[t + 1], the end of t's run
  for (let e = edgeCount - 1; e >= 0; e--) inEdgeOrdinal[--runEnd[edgeTarget[e]!]] = e;
  // runEnd[t] is now the start of t's run: move the starts down to firstInEdge[t].
  firstInEdge.copyWithin(0, 1);
  firstInEdge[nodeCount] = edgeCount;
  return { firstInEdge, inEdgeOrdinal, edgeSourceBlocks: buildEdgeSourceBlocks(firstOutEdge) };
}
