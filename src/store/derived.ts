// Layer 1 (store): columns derived by analyses (distances, dominators, retained sizes, classes, flags). They are
// data, not behaviour, so they live in the store layer: the index file persists them beside the graph.
import type { NodeNumberColumn } from './graph-store.js';

/** Per-node flag bits in DerivedIndexes.nodeFlags (DevTools calculateFlags plus gcsh's own). */
export const NodeFlag = {
  /** Reachable from user roots over strong, non-internal edges (DevTools canBeQueried). */
  canBeQueried: 1,
  /** A detached DOM node (native, name starts with "Detached "). */
  detachedDomNode: 2,
  /** Owned by the page: reachable from shortcut children of the root or (Document DOM trees). */
  pageObject: 4,
  /** Python: the collector would free it now (the unreachable set after finalizer/weakref handling). */
  garbage: 8,
  /** Not reachable from the root over strong edges (V8 distance noDistance). */
  unreachable: 16,
} as const;

/** DevTools' distance sentinels. */
export const noDistance = -5;
export const baseSystemDistance = 100_000_000;
export const baseUnreachableDistance = 200_000_000;

/** Per-class Summary aggregates (DevTools' count, self size and non-overlapping retained size), computed once at load
 * and persisted so `summary` answers without walking the dominator tree. Arrays are indexed by class index. */
export interface ClassSummary {
  /** Members with a non-zero self size (DevTools counts only those). */
  readonly count: Float64Array;
  readonly selfSize: Float64Array;
  readonly retainedSize: Float64Array;
  /** Smallest distance among counted members. */
  readonly distance: Int32Array;
  /** The counted member with the largest retained size, or -1. */
  readonly largest: Int32Array;
}

export type ClassColumn = Uint8Array | Uint16Array | Uint32Array;

export interface DerivedIndexes {
  /** Edges from the nearest user root (DevTools calculateDistances); noDistance when unreachable. */
  readonly distance: Int32Array;
  /** Ordinal of each node's immediate dominator; the root dominates itself. */
  readonly dominator: Uint32Array;
  /** Bytes kept alive by each node: Uint32 when the whole heap is under 4 GiB (no sum can exceed it), else Float64. */
  readonly retainedSize: NodeNumberColumn;
  readonly nodeFlags: Uint8Array;
  /**
   * Index into classNames for each node (DevTools class keys for V8; qualified type name for Python), in the
   * narrowest column that holds every class index (a big heap usually has a few hundred classes).
   */
  readonly classOf: ClassColumn;
  readonly classNames: readonly string[];
  /** Retained size of the root plus extra_native_bytes (DevTools totalSize). */
  readonly totalSize: number;
  /** Summary aggregates per class, when computed (the load pipeline always does; absent in bare test fixtures). */
  readonly classSummary?: ClassSummary;
}
