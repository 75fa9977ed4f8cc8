// Layer 2 (formats): resolves a `.heapsnapshot` header (`snapshot.meta` and counts) into field offsets and kind
// maps. Every position is looked up by name because V8 writes 6 or 7 node fields and 4 or 5 location fields
// depending on version, and adds enum values over time (notes/v8-heapsnapshot.md §2).
import { canonicalEdgeKindNames, canonicalNodeKindNames, edgeNameIsIndex } from '../../store/kinds.js';

/** Field offsets and kind maps of one snapshot; offsets are positions within a node or edge row. */
export interface SnapshotLayout {
  readonly nodeFieldCount: number;
  readonly nodeType: number;
  readonly nodeName: number;
  readonly nodeId: number;
  readonly nodeSelfSize: number;
  readonly nodeEdgeCount: number;
  /** -1 when the file has no `trace_node_id` field (Node 24+, current Chrome). */
  readonly nodeTraceNodeId: number;
  /** -1 when the file has no `detachedness` field. */
  readonly nodeDetachedness: number;
  readonly edgeFieldCount: number;
  readonly edgeType: number;
  readonly edgeNameOrIndex: number;
  readonly edgeToNode: number;
  /** 4 or 5 in known files; -1 when meta has no `location_fields`. Locations are skipped, this is informative. */
  readonly locationFieldCount: number;
  /** Canonical node kind names followed by any unknown names met in `node_types`. */
  readonly nodeKindNames: readonly string[];
  /** Store kind for each file node type number. */
  readonly nodeKindOfType: Uint8Array;
  readonly edgeKindNames: readonly string[];
  readonly edgeKindOfType: Uint8Array;
  /** 1 when the file edge type's `name_or_index` is an integer index (element, hidden), else a string index. */
  readonly edgeNameIsIndexOfType: Uint8Array;
  /** `snapshot.node_count` / `edge_count`, or -1 when absent (then they are only allocation hints anyway). */
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly extraNativeBytes: number;
  /** `snapshot.root_index` (a node index, i.e. ordinal × nodeFieldCount), or -1 when absent. */
  readonly rootIndex: number;
}

/** Thrown by `resolveLayout` with what the header should have contained; the reader adds file and offset. */
export class HeaderError extends Error {}

/** Resolve a parsed `snapshot` header object. Throws HeaderError naming what is missing or malformed. */
export function resolveLayout(header: unknown): SnapshotLayout {
  if (!isObject(header)) throw new HeaderError('a "snapshot" object');
  const meta = header.meta;
  if (!isObject(meta)) throw new HeaderError('a "snapshot.meta" object');
  const nodeFields = stringList(meta.node_fields, 'snapshot.meta.node_fields');
  const edgeFields = stringList(meta.edge_fields, 'snapshot.meta.edge_fields');
  const field = (list: string[], name: string, where: string): number => {
    const at = list.indexOf(name);
    if (at < 0) throw new HeaderError(`${where} to list "${name}"`);
    return at;
  };
  const nodeType = field(nodeFields, 'type', 'snapshot.meta.node_fields');
  const edgeType = field(edgeFields, 'type', 'snapshot.meta.edge_fields');
  // node_types[i] describes node_fields[i]; only the `type` entry is an enum (never zip the two lists: early
  // Node 24 wrote 7 type entries for 6 fields).
  const nodeTypes = enumAt(meta.node_types, nodeType, 'snapshot.meta.node_types');
  const edgeTypes = enumAt(meta.edge_types, edgeType, 'snapshot.meta.edge_types');
  const nodeKinds = mapKinds(nodeTypes, canonicalNodeKindNames, 'node');
  const edgeKinds = mapKinds(edgeTypes, canonicalEdgeKindNames, 'edge');
  const edgeNameIsIndexOfType = new Uint8Array(edgeTypes.length);
  for (let t = 0; t < edgeTypes.length; t++) edgeNameIsIndexOfType[t] = edgeNameIsIndex(edgeKinds.kindOfType[t]!) ? 1 : 0;
  const locationFields = meta.location_fields;
  return {
    nodeFieldCount: nodeFields.length,
    nodeType,
    nodeName: field(nodeFields, 'name', 'snapshot.meta.node_fields'),
    nodeId: field(nodeFields, 'id', 'snapshot.meta.node_fields'),
    nodeSelfSize: field(nodeFields, 'self_size', 'snapshot.meta.node_fields'),
    nodeEdgeCount: field(nodeFields, 'edge_count', 'snapshot.meta.node_fields'),
    nodeTraceNodeId: nodeFields.indexOf('trace_node_id'),
    nodeDetachedness: nodeFields.indexOf('detachedness'),
    edgeFieldCount: edgeFields.length,
    edgeType,
    edgeNameOrIndex: field(edgeFields, 'name_or_index', 'snapshot.meta.edge_fields'),
    edgeToNode: field(edgeFields, 'to_node', 'snapshot.meta.edge_fields'),
    locationFieldCount: Array.isArray(locationFields) ? locationFields.length : -1,
    nodeKindNames: nodeKinds.names,
    nodeKindOfType: nodeKinds.kindOfType,
    edgeKindNames: edgeKinds.names,
    edgeKindOfType: edgeKinds.kindOfType,
    edgeNameIsIndexOfType,
    nodeCount: optionalCount(header.node_count, 'snapshot.node_count'),
    edgeCount: optionalCount(header.edge_count, 'snapshot.edge_count'),
    extraNativeBytes: Math.max(0, optionalCount(header.extra_native_bytes, 'snapshot.extra_native_bytes')),
    rootIndex: optionalCount(header.root_index, 'snapshot.root_index'),
  };
}

/** Map file enum names onto canonical kinds by name; unknown names are appended after the canonical ones. */
function mapKinds(fileNames: string[], canonical: readonly string[], what: string): { names: string[]; kindOfType: Uint8Array } {
  const names = [...canonical];
  const kindOfType = new Uint8Array(fileNames.length);
  for (let t = 0; t < fileNames.length; t++) {
    let kind = names.indexOf(fileNames[t]!);
    if (kind < 0) {
      if (names.length >= 256) throw new HeaderError(`at most 256 distinct ${what} types`);
      kind = names.push(fileNames[t]!) - 1;
    }
    kindOfType[t] = kind;
  }
  return { names, kindOfType };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new HeaderError(`${where} to be a non-empty list of field names`);
  }
  return value as string[];
}

function enumAt(value: unknown, at: number, where: string): string[] {
  const entry = Array.isArray(value) ? value[at] : undefined;
  if (!Array.isArray(entry) || !entry.every((v) => typeof v === 'string')) {
    throw new HeaderError(`${where}[${at}] to be the list of type names`);
  }
  return entry as string[];
}

function optionalCount(value: unknown, where: string): number {
  if (value === undefined || value === null) return -1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new HeaderError(`${where} to be a non-negative integer`);
  return value;
}
