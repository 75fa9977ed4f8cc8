// Test support: a large but simple V8 snapshot written quickly (a synthetic root holding N objects in a chain),
// for tests that need a `load` that takes a few seconds (cancellation, progress) without a real big heap.
import { closeSync, openSync, writeSync } from 'node:fs';

/** Write a snapshot of `nodeCount` objects to `path`; returns the file size in bytes. */
export function writeChainSnapshot(path: string, nodeCount: number): number {
  const header = {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
        node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'], 'string', 'number', 'number', 'number', 'number', 'number'],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
        trace_function_info_fields: [],
        trace_node_fields: [],
        sample_fields: [],
        location_fields: ['object_index', 'script_id', 'line', 'column'],
      },
      node_count: nodeCount,
      edge_count: nodeCount - 1,
      trace_function_count: 0,
    },
  };
  const fd = openSync(path, 'w');
  let size = 0;
  let chunk = '';
  const emit = (text: string) => {
    chunk += text;
    if (chunk.length > 1 << 20) {
      size += writeSync(fd, chunk);
      chunk = '';
    }
  };
  emit(`${JSON.stringify(header).slice(0, -1)},"nodes":[`);
  // Node 0 is the synthetic root (type 9); the rest are objects named "Link" (string 1) with one edge each.
  for (let i = 0; i < nodeCount; i++) {
    const type = i === 0 ? 9 : 3;
    const name = i === 0 ? 0 : 1;
    const edges = i < nodeCount - 1 ? 1 : 0;
    emit(`${i === 0 ? '' : ','}${type},${name},${i * 2 + 1},${i === 0 ? 0 : 32},${edges},0,0`);
  }
  emit('],"edges":[');
  // Property edge named "next" (string 2) to the following node; to_node is an index into nodes (ordinal × 7).
  for (let i = 0; i < nodeCount - 1; i++) emit(`${i === 0 ? '' : ','}2,2,${(i + 1) * 7}`);
  emit('],"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],"strings":["(GC roots)","Link","next"]}');
  size += writeSync(fd, chunk);
  closeSync(fd);
  return size;
}
