// Layer 1 (store): turn forward columns from a reader into a complete, validated GraphStore
// (the reverse CSR is derived here so every reader gets it the same way).
import { GcshError } from '../base/errors.js';
import { packEdgeKinds, type EdgeNameOverflow, type PackedEdges } from './edge-packing.js';
import type { GraphStore, HeapLanguage, NodeNumberColumn, PythonColumns, StoreSource, V8Extras } from './graph-store.js';
import { edgeHasNoName, edgeNameIsIndex } from './kinds.js';
import { buildReverseEdges, type ReverseEdges } from './reverse-edges.js';
import type { StringTable } from './string-table.js';

export interface ForwardColumns {
  language: HeapLanguage;
  source: StoreSource;
  rootOrdinal: number;
  strings: StringTable;
  nodeKindNames: readonly string[];
  edgeKindNames: readonly string[];
  nodeKind: Uint8Array;
  nodeName: Uint32Array;
  nodeId: NodeNumberColumn;
  selfSize: NodeNumberColumn;
  firstOutEdge: Uint32Array;
  edgeKind: Uint8Array;
  edgeName: Uint32Array;
  edgeTarget: Uint32Array;
  v8: V8Extras | null;
  python: PythonColumns | null;
}

/** What a caller already has, so assembleStore does not redo it. */
export interface AssembleOptions {
  /** The columns come from a reader that checked every invariant itself (the V8 reader's checkSnapshot). */
  readonly validated?: boolean;
  /** The reverse CSR, built elsewhere (e.g. on another thread) from these very columns. */
  readonly reverse?: ReverseEdges;
}

/** Forward columns with each edge's kind folded into its name (edge-packing.ts), as the store holds them. */
export type PackedColumns = Omit<ForwardColumns, 'edgeKind' | 'edgeName'> & PackedEdges;

/**
 * Fold the kinds into the names, in place: `columns.edgeName` becomes the result's edgeKindAndName and
 * `columns.edgeKind` is no longer needed (drop it: it is a byte per edge). O(E).
 */
export function packForwardColumns(columns: ForwardColumns): PackedColumns {
  return asPackedColumns(columns, packEdgeKinds(columns.edgeKind, columns.edgeName, columns.edgeKindNames.length, columns.source.path));
}

/** The columns once another thread has run packEdgeKinds on them (it returned `overflow`). */
export function asPackedColumns(columns: ForwardColumns, overflow: EdgeNameOverflow): PackedColumns {
  const { edgeKind: _packedAway, edgeName, ...rest } = columns;
  return { ...rest, edgeKindAndName: edgeName, edgeNameOverflow: overflow };
}

/** Pack the edges (unless already packed), derive the reverse CSR, check the invariants, return the store. O(N + E). */
export function assembleStore(columns: ForwardColumns | PackedColumns, options: AssembleOptions = {}): GraphStore {
  let packed: PackedColumns;
  if ('edgeKindAndName' in columns) packed = columns;
  else {
    if (options.validated !== true) validateForwardColumns(columns);
    packed = packForwardColumns(columns);
  }
  const nodeCount = packed.nodeKind.length;
  const reverse = options.reverse ?? buildReverseEdges(nodeCount, packed.firstOutEdge, packed.edgeTarget);
  return {
    ...packed,
    nodeCount,
    edgeCount: packed.edgeTarget.length,
    ...reverse,
  };
}

/** Throws GcshError('internal') when a reader produced inconsistent columns: a reader bug, not bad input. */
export function validateForwardColumns(columns: ForwardColumns): void {
  const nodeCount = columns.nodeKind.length;
  const edgeCount = columns.edgeTarget.length;
  const fail = (what: string): never => {
    throw new GcshError('internal', `inconsistent store from ${columns.source.path}: ${what}`);
  };
  if (columns.nodeName.length !== nodeCount || columns.nodeId.length !== nodeCount || columns.selfSize.length !== nodeCount)
    fail('node columns differ in length');
  if (columns.firstOutEdge.length !== nodeCount + 1) fail('firstOutEdge length is not nodeCount + 1');
  if (columns.firstOutEdge[nodeCount] !== edgeCount) fail('firstOutEdge[nodeCount] is not edgeCount');
  if (columns.edgeKind.length !== edgeCount || columns.edgeName.length !== edgeCount) fail('edge columns differ in length');
  if (nodeCount > 0 && (columns.rootOrdinal < 0 || columns.rootOrdinal >= nodeCount)) fail('root ordinal out of range');
  const targets = columns.edgeTarget;
  for (let e = 0; e < edgeCount; e++) if (targets[e]! >= nodeCount) fail(`edge ${e} targets ordinal ${targets[e]}`);
  const stringCount = columns.strings.count;
  const names = columns.nodeName;
  for (let i = 0; i < nodeCount; i++) if (names[i]! >= stringCount) fail(`node ${i} name index ${names[i]}`);
  const kinds = columns.edgeKind;
  const edgeNames = columns.edgeName;
  for (let e = 0; e < edgeCount; e++) {
    const kind = kinds[e]!;
    if (!edgeNameIsIndex(kind) && !edgeHasNoName(kind) && edgeNames[e]! >= stringCount) fail(`edge ${e} name index ${edgeNames[e]}`);
  }
}
