// Layer 2 (formats): cross-section checks that can only run once a whole snapshot was read (edge totals, target
// ranges for unusual section orders, string indexes, root index), so bad files fail with BadInputError here
// instead of as an internal store error later.
import { BadInputError } from '../../base/errors.js';
import { edgeHasNoName, edgeNameIsIndex } from '../../store/kinds.js';
import type { StringTable } from '../../store/string-table.js';
import type { SnapshotLayout } from './meta.js';
import type { ParsedSnapshot } from './snapshot-parser.js';
import type { EdgeColumnsSink, NodeColumnsSink } from './snapshot-columns.js';

export interface SnapshotParts {
  file: string;
  layout: SnapshotLayout;
  nodes: NodeColumnsSink;
  edges: EdgeColumnsSink;
  strings: StringTable;
  /** Byte offset where each section's value starts, keyed by section name. */
  offsets: ReadonlyMap<string, number>;
}

/** Validate the parts against each other and trim the columns to their real lengths. O(N + E). */
export function checkSnapshot(parts: SnapshotParts): ParsedSnapshot {
  const { file, layout, nodes, edges, strings, offsets } = parts;
  const at = (section: string): number => offsets.get(section) ?? 0;
  const nodeCount = nodes.nodeCount;
  const fieldCount = layout.nodeFieldCount;
  if (nodeCount === 0) throw new BadInputError(file, at('nodes'), 'at least one node (the root)', 'an empty "nodes" array');
  const edgeTotal = nodes.firstOutEdge[nodeCount]!;
  if (edgeTotal !== edges.edgeCount) {
    throw new BadInputError(file, at('edges'), `"edges" to hold ${edgeTotal} edges (the sum of the nodes' edge_count)`, `${edges.edgeCount} edges`);
  }
  if (edges.nodeLimit < 0) {
    const targets = edges.edgeTarget;
    for (let e = 0; e < edges.edgeCount; e++) {
      if (targets[e]! >= nodeCount) {
        throw new BadInputError(file, at('edges'), `every "to_node" below ${nodeCount * fieldCount}`, `edge ${e} to_node ${targets[e]! * fieldCount}`);
      }
    }
  }
  let rootOrdinal = 0;
  if (layout.rootIndex >= 0) {
    if (layout.rootIndex % fieldCount !== 0 || layout.rootIndex >= nodeCount * fieldCount) {
      throw new BadInputError(file, at('snapshot'), `"root_index" to be a node index (a multiple of ${fieldCount} below ${nodeCount * fieldCount})`, String(layout.rootIndex));
    }
    rootOrdinal = layout.rootIndex / fieldCount;
  }
  checkStringIndexes(parts, at);
  nodes.trim();
  edges.trim();
  return { layout, nodes, edges, strings, rootOrdinal };
}

function checkStringIndexes(parts: SnapshotParts, at: (section: string) => number): void {
  const { file, nodes, edges, strings } = parts;
  const stringCount = strings.count;
  const names = nodes.nodeName;
  // The sinks tracked the largest indexes while streaming: scan only to find (and report) the first bad one.
  for (let i = 0; nodes.maxName >= stringCount && i < nodes.nodeCount; i++) {
    if (names[i]! >= stringCount) {
      throw new BadInputError(file, at('nodes'), `node names below ${stringCount} (the number of strings)`, `node ${i} name ${names[i]}`);
    }
  }
  // Which store kinds carry string names, decided once per kind rather than per edge.
  const isStringKind = new Uint8Array(256);
  for (let kind = 0; kind < 256; kind++) isStringKind[kind] = edgeNameIsIndex(kind) || edgeHasNoName(kind) ? 0 : 1;
  const kinds = edges.edgeKind;
  const edgeNames = edges.edgeName;
  for (let e = 0; edges.maxStringName >= stringCount && e < edges.edgeCount; e++) {
    if (isStringKind[kinds[e]!] === 1 && edgeNames[e]! >= stringCount) {
      throw new BadInputError(file, at('edges'), `edge names below ${stringCount} (the number of strings)`, `edge ${e} name ${edgeNames[e]}`);
    }
  }
}
