// Layer 1 (store): the source node of an edge, from the forward CSR alone. Storing a source per retainer would cost
// 4 bytes per edge (a fifth of the store); a table holding the source of every 32nd edge costs an eighth of a byte
// per edge, and from there a short forward scan of firstOutEdge (monotone) finds the owner of any edge.

/**
 * log2 of the edges per block. Lengauer–Tarjan looks up the source of every retainer of the heap, so the scan
 * length is load time: on the 13M-edge benchmark heap a full pass costs 292 ms with 16 edges per block, 339 ms
 * with 32 and 417 ms with 64 (medians, interleaved), for tables of 3.2, 1.6 and 0.8 MB; 32 keeps most of the gain for half the memory.
 */
export const edgeSourceBlockShift = 5;

/** blocks[b] is the node that owns edge b << edgeSourceBlockShift (the node s with firstOutEdge[s] ≤ e < firstOutEdge[s + 1]). O(N + E/32). */
export function buildEdgeSourceBlocks(firstOutEdge: Uint32Array): Uint32Array {
  const nodeCount = firstOutEdge.length - 1;
  const edgeCount = nodeCount >= 0 ? firstOutEdge[nodeCount]! : 0;
  const blocks = new Uint32Array(Math.ceil(edgeCount / (1 << edgeSourceBlockShift)));
  let node = 0;
  for (let b = 0; b < blocks.length; b++) {
    const edge = b << edgeSourceBlockShift;
    while (firstOutEdge[node + 1]! <= edge) node++;
    blocks[b] = node;
  }
  return blocks;
}

/** What sourceOfEdge reads. */
export interface EdgeSourceColumns {
  readonly firstOutEdge: Uint32Array;
  readonly edgeSourceBlocks: Uint32Array;
}

/** The node whose out-edges include edge `edge` (which must be < edgeCount). O(nodes starting within its block). */
export function sourceOfEdge(store: EdgeSourceColumns, edge: number): number {
  const { firstOutEdge } = store;
  let source = store.edgeSourceBlocks[edge >>> edgeSourceBlockShift]!;
  while (firstOutEdge[source + 1]! <= edge) source++;
  return source;
}
