// Layer 1 (store): id -> ordinal lookup without a Map per object (Maps cap at 2^24 entries).
// Ids are sorted once into a Float64Array (V8 ids and Python id() values both fit exactly in 2^53) with a parallel
// ordinal array; lookups are binary searches, O(log N).

export interface IdIndex {
  /** Node ids in ascending order. */
  readonly sortedIds: Float64Array;
  /** sortedOrdinals[k] is the ordinal whose id is sortedIds[k]. */
  readonly sortedOrdinals: Uint32Array;
}

/** Build the sorted id index from a node id column: O(N) radix sort for 32-bit ids (all V8 ids), else O(N log N). */
export function buildIdIndex(nodeId: Float64Array): IdIndex {
  const count = nodeId.length;
  const sortedOrdinals = new Uint32Array(count);
  const sortedIds = new Float64Array(count);
  if (isAscending(nodeId)) {
    for (let i = 0; i < count; i++) sortedOrdinals[i] = i;
    sortedIds.set(nodeId);
  } else if (allUint32(nodeId)) {
    radixSortUint32(nodeId, sortedIds, sortedOrdinals);
  } else {
    for (let i = 0; i < count; i++) sortedOrdinals[i] = i;
    sortedOrdinals.sort((a, b) => nodeId[a]! - nodeId[b]! || a - b);
    for (let k = 0; k < count; k++) sortedIds[k] = nodeId[sortedOrdinals[k]!]!;
  }
  return { sortedIds, sortedOrdinals };
}

function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

function allUint32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!(value >= 0 && value <= 0xffffffff && value === Math.floor(value))) return false;
  }
  return true;
}

/**
 * LSD radix sort of 32-bit ids carrying their ordinals, three passes of 11 bits: O(N), stable (equal ids keep
 * ordinal order). V8 heap object ids are uint32, and a comparator sort of millions of ordinals costs seconds.
 */
function radixSortUint32(ids: Float64Array, sortedIds: Float64Array, sortedOrdinals: Uint32Array): void {
  const count = ids.length;
  let keys = new Uint32Array(count);
  let ordinals = new Uint32Array(count);
  let nextKeys = new Uint32Array(count);
  let nextOrdinals = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    keys[i] = ids[i]!;
    ordinals[i] = i;
  }
  const buckets = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    buckets.fill(0);
    for (let i = 0; i < count; i++) buckets[(keys[i]! >>> shift) & 2047]++;
    let total = 0;
    for (let b = 0; b < 2048; b++) {
      const size = buckets[b]!;
      buckets[b] = total;
      total += size;
    }
    for (let i = 0; i < count; i++) {
      const slot = buckets[(keys[i]! >>> shift) & 2047]++;
      nextKeys[slot] = keys[i]!;
      nextOrdinals[slot] = ordinals[i]!;
    }
    [keys, nextKeys] = [nextKeys, keys];
    [ordinals, nextOrdinals] = [nextOrdinals, ordinals];
  }
  for (let k = 0; k < count; k++) sortedIds[k] = keys[k]!;
  sortedOrdinals.set(ordinals);
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
