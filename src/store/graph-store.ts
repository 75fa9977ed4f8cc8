// Layer 1 (store): the one columnar graph model for V8 and Python heaps. Nodes and edges live in typed arrays
// indexed by ordinal (0..n-1, never premultiplied by a field count); edges are grouped by source (forward CSR)
// with a reverse CSR for retainers. Languages differ in how they are read, not in how they are stored.
import type { EdgeNameOverflow } from './edge-packing.js';
import type { StringTable } from './string-table.js';

export type HeapLanguage = 'v8' | 'python';

/**
 * A per-node number column: Uint32 when every value is a uint32 (V8 ids always are, and self sizes whenever the
 * heap's total is under 4 GiB), else Float64 (Python ids are 64-bit addresses). Half the bytes in the common case.
 */
export type NodeNumberColumn = Float64Array | Uint32Array;

/** Where a store came from; the index file uses it to detect a changed snapshot. */
export interface StoreSource {
  /** Absolute path of the snapshot file, or a description for live captures. */
  readonly path: string;
  readonly format: 'heapsnapshot' | 'pyheap';
  readonly byteSize: number;
  readonly mtimeMs: number;
}

/** V8-only facts from the snapshot header and node fields. */
export interface V8Extras {
  /** `snapshot.extra_native_bytes` (2026 Chrome), 0 when absent. Counted in the total, not in any node. */
  readonly extraNativeBytes: number;
  /** `detachedness` per node (0 unknown, 1 attached, 2 detached), or null when the file has no such field. */
  readonly detachedness: Uint8Array | null;
  /** Whether the file had a `trace_node_id` node field (7-field layout). */
  readonly hasTraceNodeIds: boolean;
}

/** Python-only per-node facts written by gcsh_agent.py. */
export interface PythonColumns {
  /** Refcount as the agent calibrated it (sys.getrefcount minus the measured call overhead). */
  readonly refcount: Float64Array;
  /** GC generation 0..2, 3 = permanent (frozen), -1 unknown or untracked. */
  readonly generation: Int8Array;
  /** PyFlag bits. */
  readonly flags: Uint16Array;
  /** String index of the object's safe repr; 0 = none. */
  readonly repr: Uint32Array;
  /** Python version of the dumped process, e.g. "3.12.1". */
  readonly pythonVersion: string;
  /** The collector's state when the dump was taken (absent in files that do not record it). */
  readonly gcState?: PythonGcState;
}

export interface PythonGcState {
  readonly enabled: boolean;
  /** gc.get_debug() bits; 32 is DEBUG_SAVEALL. */
  readonly debug: number;
  /** len(gc.garbage). */
  readonly garbageCount: number;
  readonly freezeCount: number;
}

/** Python per-node flag bits (PythonColumns.flags). */
export const PyFlag = {
  gcTracked: 1,
  hasFinalizer: 2,
  weaklyReferenced: 4,
  immortal: 8,
  inGcGarbage: 16,
  frozen: 32,
  /** The object is a root: a module, a thread frame, or has references the agent could not explain. */
  root: 64,
  /** Finalizer already ran (PEP 442), so it will not run again and cannot resurrect. */
  finalized: 128,
  /** The object is a weakref (or subclass); its callback matters to handle_weakrefs. */
  isWeakref: 256,
} as const;

/**
 * The graph. Invariants (checked by `validateStore`):
 * - firstOutEdge.length === nodeCount + 1 and firstOutEdge[nodeCount] === edgeCount; edges of node i are
 *   firstOutEdge[i] .. firstOutEdge[i+1]-1.
 * - edgeTarget[e] < nodeCount.
 * - firstInEdge / inEdgeOrdinal are the same edges grouped by target (a retainer's source: sourceOfEdge).
 * - nodeName[i] and string-named edge names are < strings.count.
 */
export interface GraphStore {
  readonly language: HeapLanguage;
  readonly source: StoreSource;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Ordinal of the synthetic root (V8: `snapshot.root_index`/F, default 0; Python: the reader's root node). */
  readonly rootOrdinal: number;
  readonly strings: StringTable;
  /** Kind names indexed by nodeKind values; begins with canonicalNodeKindNames. */
  readonly nodeKindNames: readonly string[];
  readonly edgeKindNames: readonly string[];

  readonly nodeKind: Uint8Array;
  /** String index: V8 node name; Python qualified type name. */
  readonly nodeName: Uint32Array;
  /** V8 heap object id, or Python id(). */
  readonly nodeId: NodeNumberColumn;
  /** Bytes. For V8 after DevTools' shallow-size reattribution once `analyses` have run (see selfSizesReattributed). */
  readonly selfSize: NodeNumberColumn;

  readonly firstOutEdge: Uint32Array;
  /**
   * Kind in the top 4 bits, name below (edge-packing.ts): read them with edgeKindOf / edgeNameOf, or in hot loops
   * `>>> edgeKindShift` for the kind. The name is a string index, or the integer index for element/hidden edges
   * (see edgeNameIsIndex).
   */
  readonly edgeKindAndName: Uint32Array;
  /** Names too big for 28 bits (almost always empty). */
  readonly edgeNameOverflow: EdgeNameOverflow;
  readonly edgeTarget: Uint32Array;

  readonly firstInEdge: Uint32Array;
  readonly inEdgeOrdinal: Uint32Array;
  /** The source of every 32nd edge (edge-source.ts); derived from firstOutEdge, never persisted. */
  readonly edgeSourceBlocks: Uint32Array;

  readonly v8: V8Extras | null;
  readonly python: PythonColumns | null;
}
