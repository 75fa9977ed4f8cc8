import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeKind, EdgeKind, canonicalNodeKindNames } from '../../store/kinds.js';
import { HeaderError, resolveLayout } from './meta.js';

const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

function header(nodeFields: string[], types = nodeTypes, extra: Record<string, unknown> = {}): unknown {
  return {
    meta: {
      node_fields: nodeFields,
      // Early Node 24 wrote 7 type entries for 6 fields: the reader must not zip them.
      node_types: nodeFields.map((field) => (field === 'type' ? types : 'number')).concat(['number']),
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [edgeTypes, 'string_or_number', 'node'],
      location_fields: ['object_index', 'script_id', 'script_object_index', 'line', 'column'],
    },
    node_count: 10,
    edge_count: 20,
    ...extra,
  };
}

test('resolves the 7-field layout by name', () => {
  const layout = resolveLayout(header(['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness']));
  assert.equal(layout.nodeFieldCount, 7);
  assert.equal(layout.nodeTraceNodeId, 5);
  assert.equal(layout.nodeDetachedness, 6);
  assert.equal(layout.locationFieldCount, 5);
  assert.equal(layout.nodeCount, 10);
  assert.equal(layout.rootIndex, -1);
  assert.equal(layout.extraNativeBytes, 0);
});

test('resolves the 6-field layout and reordered fields', () => {
  const layout = resolveLayout(header(['name', 'type', 'id', 'edge_count', 'self_size', 'detachedness']));
  assert.equal(layout.nodeFieldCount, 6);
  assert.equal(layout.nodeTraceNodeId, -1);
  assert.equal(layout.nodeType, 1);
  assert.equal(layout.nodeName, 0);
  assert.equal(layout.nodeSelfSize, 4);
});

test('maps type enums by name and appends unknown names', () => {
  const types = ['object', 'wasm object', 'synthetic', 'hidden'];
  const layout = resolveLayout(header(['type', 'name', 'id', 'self_size', 'edge_count'], types, { extra_native_bytes: 4096, root_index: 5 }));
  assert.deepEqual([...layout.nodeKindOfType], [NodeKind.object, canonicalNodeKindNames.length, NodeKind.synthetic, NodeKind.hidden]);
  assert.equal(layout.nodeKindNames[canonicalNodeKindNames.length], 'wasm object');
  assert.equal(layout.edgeKindOfType[1], EdgeKind.element);
  assert.deepEqual([...layout.edgeNameIsIndexOfType], [0, 1, 0, 0, 1, 0, 0]);
  assert.equal(layout.extraNativeBytes, 4096);
  assert.equal(layout.rootIndex, 5);
});

test('names what a broken header lacks', () => {
  assert.throws(() => resolveLayout(header(['type', 'name', 'self_size', 'edge_count'])), (e: unknown) => e instanceof HeaderError && /"id"/.test(e.message));
  assert.throws(() => resolveLayout({ meta: {} }), HeaderError);
  assert.throws(() => resolveLayout([]), HeaderError);
  assert.throws(() => resolveLayout(header(['type', 'name', 'id', 'self_size', 'edge_count'], nodeTypes, { node_count: -1 })), HeaderError);
});
