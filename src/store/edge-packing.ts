// Layer 1 (store): an edge's kind and name in one Uint32. Kinds need 4 bits and names (string indexes, element
// indexes) fit in 28 bits in every real heap, so a separate byte per edge for the kind (13 MB on a 250 MB snapshot)
// is not worth its memory. A name that does not fit (an element index of a huge sparse array, or a string table
// past 268M strings) is stored as overflowName and looked up in a small sorted side table.
import { GcshError } from '../base/errors.js';

export const edgeKindShift = 28;
export const edgeNameMask = (1 << edgeKindShift) - 1;
/** The 28-bit name meaning "see the overflow table". */
export const overflowName = edgeNameMask;
/** Kinds that fit in the 4 bits above the name. */
export const maxPackedKinds = 16;

/** Names that did not fit in 28 bits, by edge ordinal (ascending). */
export interface EdgeNameOverflow {
  readonly edges: Uint32Array;
  readonly names: Float64Array;
}

export const noOverflow: EdgeNameOverflow = { edges: new Uint32Array(0), names: new Float64Array(0) };

/** What the accessors read. */
export interface PackedEdges {
  readonly edgeKindAndName: Uint32Array;
  readonly edgeNameOverflow: EdgeNameOverflow;
}

/**
 * Fold `edgeKind` into `edgeName` in place (the result is the store's edgeKindAndName). Throws GcshError
 * ('unsupported-format') for a file with more than 16 edge kinds. O(E).
 */
export function packEdgeKinds(edgeKind: Uint8Array, edgeName: Uint32Array, kindCount: number, path: string): EdgeNameOverflow {
  if (kindCount > maxPackedKinds) throw new GcshError('unsupported-format', `${path}: ${kindCount} edge types; gcsh handles at most ${maxPackedKinds}`);
  const overflowEdges: number[] = [];
  const overflowNames: number[] = [];
  for (let e = 0; e < edgeName.length; e++) {
    const name = edgeName[e]!;
    if (name >= overflowName) {
      overflowEdges.push(e);
      overflowNames.push(name);
      edgeName[e] = (edgeKind[e]! << edgeKindShift) | overflowName;
    } else edgeName[e] = (edgeKind[e]! << edgeKindShift) | name;
  }
  // `| ` yields a signed int32 for kinds ≥ 8; the Uint32Array store converts it back to the same bits.
  if (overflowEdges.length === 0) return noOverflow;
  return { edges: Uint32Array.from(overflowEdges), names: Float64Array.from(overflowNames) };
}

/** The kind of edge `edge`. */
export function edgeKindOf(store: PackedEdges, edge: number): number {
  return store.edgeKindAndName[edge]! >>> edgeKindShift;
}

/** The name of edge `edge`: a string index, or an integer index for element/hidden kinds (edgeNameIsIndex). */
export function edgeNameOf(store: PackedEdges, edge: number): number {
  const name = store.edgeKindAndName[edge]! & edgeNameMask;
  return name !== overflowName ? name : overflowNameOf(store.edgeNameOverflow, edge);
}

function overflowNameOf(overflow: EdgeNameOverflow, edge: number): number {
  const { edges, names } = overflow;
  let low = 0;
  let high = edges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = edges[middle]!;
    if (value < edge) low = middle + 1;
    else if (value > edge) high = middle - 1;
    else return names[middle]!;
  }
  // Unreachable for a valid store (the invariant check ties every overflowName to an entry).
  return overflowName;
}
