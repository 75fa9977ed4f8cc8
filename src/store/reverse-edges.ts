// Layer 1 (store): the reverse CSR (retainers), built by counting sort in O(N + E) with three typed arrays.

export interface ReverseEdges {
  readonly firstInEdge: Uint32Array;
  readonly inEdgeOrdinal: Uint32Array;
  readonly inEdgeSource: Uint32Array;
}

/** Group edges by target. Within a target, retainers stay in source order (as DevTools' buildRetainers does). */
export function buildReverseEdges(nodeCount: number, firstOutEdge: Uint32Array, edgeTarget: Uint32Array): ReverseEdges {
  const edgeCount = edgeTarget.length;
  const firstInEdge = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) firstInEdge[edgeTarget[e]! + 1]++;
  for (let i = 0; i < nodeCount; i++) firstInEdge[i + 1] += firstInEdge[i]!;
  const cursor = firstInEdge.slice(0, nodeCount);
  const inEdgeOrdinal = new Uint32Array(edgeCount);
  const inEdgeSource = new Uint32Array(edgeCount);
  for (let source = 0; source < nodeCount; source++) {
    const end = firstOutEdge[source + 1]!;
    for (let e = firstOutEdge[source]!; e < end; e++) {
      const slot = cursor[edgeTarget[e]!]++;
      inEdgeOrdinal[slot] = e;
      inEdgeSource[slot] = source;
    }
  }
  return { firstInEdge, inEdgeOrdinal, inEdgeSource };
}
