// Layer 1 (store): id -> ordinal lookup without a Map per object (Maps cap at 2^24 entries). The store keeps no
// index: one id typed by hand is found by a native scan of the id column (about a millisecond per million nodes),
// and whole-heap matching (growth) sorts ordinals by id on demand, O(N) by radix sort, kept per store. A persisted
// index would cost 4 bytes per node at the load's memory peak for lookups that are rare.
import { newUint32Array } from '../base/large-arrays.js';
import type { NodeNumberColumn } from './graph-store.js';

export interface IdIndex {
  /** Ordinals in ascending id order (equal ids keep ordinal order). */
  readonly sortedOrdinals: Uint32Array;
  /** The store's node id column (shared, not copied): sortedOrdinals orders it. */
  readonly nodeId: NodeNumberColumn;
}

/** Build the id index from a node id column: O(N) radix sort for 32-bit ids (all V8 ids), else O(N log N). */
export function buildIdIndex(nodeId: NodeNumberColumn): IdIndex {
  const count = nodeId.length;
  let sortedOrdinals: Uint32Array;
  if (isAscending(nodeId)) {
    sortedOrdinals = new Uint32Array(count);
    for (let i = 0; i < count; i++) sortedOrdinals[i] = i;
  } else if (allUint32(nodeId)) {
    sortedOrdinals = radixSortUint32(nodeId);
  } else {
    sortedOrdinals = new Uint32Array(count);
    for (let i = 0; i < count; i++) sortedOrdinals[i] = i;
    sortedOrdinals.sort((a, b) => nodeId[a]! - nodeId[b]! || a - b);
  }
  return { sortedOrdinals, nodeId };
}

function isAscending(values: NodeNumberColumn): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

function allUint32(values: NodeNumberColumn): boolean {
  if (values instanceof Uint32Array) return true;
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
function radixSortUint32(ids: NodeNumberColumn): Uint32Array {
  const count = ids.length;
  let keys = newUint32Array(count);
  let ordinals = newUint32Array(count);
  let nextKeys = newUint32Array(count);
  let nextOrdinals = newUint32Array(count);
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
  return ordinals;
}

/** The ordinal of the node with id `id`, or -1 (the lowest ordinal when ids repeat). O(N), a native scan. */
export function ordinalOfNodeId(store: { readonly nodeId: NodeNumberColumn }, id: number): number {
  return store.nodeId.indexOf(id);
}

const sortedIdIndexes = new WeakMap<object, IdIndex>();

/** The store's ordinals in id order, built on first use and kept as long as the store. */
export function idIndexOf(store: { readonly nodeId: NodeNumberColumn }): IdIndex {
  let index = sortedIdIndexes.get(store);
  if (index === undefined) {
    index = buildIdIndex(store.nodeId);
    sortedIdIndexes.set(store, index);
  }
  return index;
}

/** The ordinal of the node with this id, or -1, by binary search of an id index. When ids repeat, the first in id order. */
export function ordinalOfId(index: IdIndex, id: number): number {
  const { sortedOrdinals, nodeId } = index;
  // Lower bound: the first position whose id is not below `id`.
  let low = 0;
  let high = sortedOrdinals.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (nodeId[sortedOrdinals[middle]!]! < id) low = middle + 1;
    else high = middle;
  }
  return low < sortedOrdinals.length && nodeId[sortedOrdinals[low]!] === id ? sortedOrdinals[low]! : -1;
}

/** The id at position `k` of id order. */
export function idAt(index: IdIndex, k: number): number {
  return index.nodeId[index.sortedOrdinals[k]!]!;
}
