// Layer 1 (store): id -> ordinal lookup without a Map per object (Maps cap at 2^24 entries).
// Ids are sorted once into a Float64Array (V8 ids and Python id() values both fit exactly in 2^53) with a parallel
// ordinal array; lookups are binary searches, O(log N).

export interface IdIndex {
  /** Node ids in ascending order. */
  readonly sortedIds: Float64Array;
  /** sortedOrdinals[k] is the ordinal whose id is sortedIds[k]. */
  readonly sortedOrdinals: Uint32Array;
}

/** Build the sorted id index from a node id column. O(N log N). */
export function buildIdIndex(nodeId: Float64Array): IdIndex {
  const count = nodeId.length;
  // Sort (id, ordinal) pairs by sorting a copy of ids and, when ids are unique, recovering ordinals by a second
  // pass would need a map; instead sort ordinals by id with a typed-array radix-free comparator on indices.
  const sortedOrdinals = new Uint32Array(count);
  for (let i = 0; i < count; i++) sortedOrdinals[i] = i;
  if (!isAscending(nodeId)) sortedOrdinals.sort((a, b) => nodeId[a]! - nodeId[b]!);
  const sortedIds = new Float64Array(count);
  for (let k = 0; k < count; k++) sortedIds[k] = nodeId[sortedOrdinals[k]!]!;
  return { sortedIds, sortedOrdinals };
}

function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** The ordinal of the node with this id, or -1. When ids repeat, the first in id order. */
export function ordinalOfId(index: IdIndex, id: number): number {
  const ids = index.sortedIds;
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = ids[middle]!;
    if (value < id) low = middle + 1;
    else if (value > id) high = middle - 1;
    else {
      let first = middle;
      while (first > 0 && ids[first - 1] === id) first--;
      return index.sortedOrdinals[first]!;
    }
  }
  return -1;
}
