import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CancelSource } from '../../base/cancel.js';
import { CancelledError } from '../../base/errors.js';
import type { GraphStore } from '../../store/graph-store.js';
import { idAt, idIndexOf } from '../../store/id-index.js';
import { EdgeKind, NodeKind, canonicalNodeKindNames, edgeNameIsIndex } from '../../store/kinds.js';
import { tinyIds, tinySnapshotJson, tinyStrings, type TinySnapshotOptions } from '../../../test/fixtures/v8/tiny-snapshot.js';
import { readHeapSnapshot, readHeapSnapshotFromChunks } from './read-heapsnapshot.js';
import { edgeKindOf, edgeNameOf } from '../../store/edge-packing.js';

let dir = '';
let realPath = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gcsh-v8-read-'));
  realPath = join(dir, 'real.heapsnapshot');
  const script = `
    class Leaky { constructor() { this.payload = new Array(3).fill('gcsh-payload-marker'); } }
    globalThis.leaky = new Leaky();
    require('v8').writeHeapSnapshot(${JSON.stringify(realPath)});`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function readText(text: string, chunkBytes = 1 << 20): Promise<GraphStore> {
  const bytes = new TextEncoder().encode(text);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
  }
  return readHeapSnapshotFromChunks(chunks(), { path: 'tiny.heapsnapshot', format: 'heapsnapshot', byteSize: bytes.length, mtimeMs: 0 });
}

/** Outgoing edges of `ordinal` as [kind name, name, target ordinal]. */
function edgesOf(store: GraphStore, ordinal: number): Array<[string, string | number, number]> {
  const out: Array<[string, string | number, number]> = [];
  for (let e = store.firstOutEdge[ordinal]!; e < store.firstOutEdge[ordinal + 1]!; e++) {
    const kind = edgeKindOf(store, e);
    out.push([store.edgeKindNames[kind]!, edgeNameIsIndex(kind) ? edgeNameOf(store, e) : store.strings.get(edgeNameOf(store, e)), store.edgeTarget[e]!]);
  }
  return out;
}

function assertTinyGraph(store: GraphStore): void {
  assert.equal(store.language, 'v8');
  assert.equal(store.nodeCount, 3);
  assert.equal(store.edgeCount, 4);
  assert.deepEqual([...store.nodeId], tinyIds);
  assert.deepEqual([...store.nodeName].map((s) => store.strings.get(s)), ['', 'Leaky', 'Array']);
  assert.deepEqual([...store.selfSize], [0, 32, 16]);
  assert.equal(store.nodeKind[0], NodeKind.synthetic);
  assert.equal(store.nodeKind[1], NodeKind.object);
  assert.deepEqual(edgesOf(store, 0), [['element', 0, 1], ['property', 'x', 2]]);
  assert.deepEqual(edgesOf(store, 1), [['property', 'payload', 2]]);
  assert.deepEqual(edgesOf(store, 2), [['hidden', 1, 1]]);
  assert.deepEqual(Array.from({ length: store.strings.count }, (_, i) => store.strings.get(i)), tinyStrings);
}

test('reads a real Node snapshot: counts match the header, Leaky.payload is found by name', async () => {
  const store = await readHeapSnapshot(realPath);
  const reference = JSON.parse(readFileSync(realPath, 'utf8'));
  const fields: string[] = reference.snapshot.meta.node_fields;
  assert.equal(store.nodeCount, reference.snapshot.node_count);
  assert.equal(store.edgeCount, reference.snapshot.edge_count);
  assert.equal(store.nodeCount, reference.nodes.length / fields.length);
  assert.equal(store.strings.count, reference.strings.length);
  assert.equal(store.source.path, realPath);
  assert.equal(store.source.format, 'heapsnapshot');
  assert.equal(store.v8?.hasTraceNodeIds, fields.includes('trace_node_id'));
  assert.equal(store.rootOrdinal, (reference.snapshot.root_index ?? 0) / fields.length);
  assert.equal(store.nodeKind[store.rootOrdinal], NodeKind.synthetic);

  const leaky = [...store.nodeName.keys()].filter((i) => store.nodeKind[i] === NodeKind.object && store.strings.get(store.nodeName[i]!) === 'Leaky');
  assert.equal(leaky.length, 1);
  const payload = edgesOf(store, leaky[0]!).find(([kind, name]) => kind === 'property' && name === 'payload');
  assert.ok(payload, 'Leaky has a payload property edge');
  assert.equal(store.strings.get(store.nodeName[payload[2]]!), 'Array');
  const elements = edgesOf(store, payload[2]).filter(([kind]) => kind === 'internal' || kind === 'element');
  assert.ok(elements.length > 0);

  const index = idIndexOf(store);
  for (let k = 1; k < store.nodeCount; k++) assert.ok(idAt(index, k) > idAt(index, k - 1), 'ids are unique');
});

test('every column of a real snapshot equals what JSON.parse of the file says', async () => {
  const store = await readHeapSnapshot(realPath);
  const reference = JSON.parse(readFileSync(realPath, 'utf8'));
  const meta = reference.snapshot.meta;
  const F: number = meta.node_fields.length;
  const E: number = meta.edge_fields.length;
  const nodeTypes: string[] = meta.node_types[meta.node_fields.indexOf('type')];
  const edgeTypes: string[] = meta.edge_types[meta.edge_fields.indexOf('type')];
  const nodes: number[] = reference.nodes;
  const edges: number[] = reference.edges;
  let edge = 0;
  for (let i = 0; i < store.nodeCount; i++) {
    const row = i * F;
    assert.equal(store.nodeKindNames[store.nodeKind[i]!], nodeTypes[nodes[row]!]);
    assert.equal(store.nodeName[i], nodes[row + 1]);
    assert.equal(store.nodeId[i], nodes[row + 2]);
    assert.equal(store.selfSize[i], nodes[row + 3]);
    assert.equal(store.firstOutEdge[i], edge);
    edge += nodes[row + 4]!;
  }
  for (let e = 0; e < store.edgeCount; e++) {
    assert.equal(store.edgeKindNames[edgeKindOf(store, e)], edgeTypes[edges[e * E]!]);
    assert.equal(edgeNameOf(store, e), edges[e * E + 1]);
    assert.equal(store.edgeTarget[e], edges[e * E + 2]! / F);
  }
  for (let s = 0; s < store.strings.count; s++) assert.equal(store.strings.get(s), reference.strings[s]);
});

test('a gzip-compressed snapshot reads the same as the plain file', async () => {
  const gzPath = join(dir, 'real.heapsnapshot.gz');
  writeFileSync(gzPath, gzipSync(readFileSync(realPath)));
  const plain = await readHeapSnapshot(realPath);
  const gz = await readHeapSnapshot(gzPath);
  assert.equal(gz.source.byteSize < plain.source.byteSize, true);
  for (const column of ['nodeKind', 'nodeName', 'nodeId', 'selfSize', 'firstOutEdge', 'edgeKindAndName', 'edgeTarget'] as const) {
    assert.deepEqual(gz[column], plain[column], column);
  }
  assert.deepEqual(gz.strings.bytes, plain.strings.bytes);
});

test('reports reading progress and stops when cancelled', async () => {
  const calls: Array<[string, number, number]> = [];
  await readHeapSnapshot(realPath, { progress: (phase, done, total) => calls.push([phase, done, total]) });
  assert.ok(calls.length >= 2);
  assert.ok(calls.every(([phase, , total]) => phase === 'reading' && total === calls[0]![2]));
  assert.equal(calls.at(-1)![1], calls[0]![2]);
  const source = new CancelSource();
  source.cancel();
  await assert.rejects(readHeapSnapshot(realPath, { cancel: source }), CancelledError);
});

test('reads the 7-field layout with detachedness and trace ids', async () => {
  const store = await readText(tinySnapshotJson());
  assertTinyGraph(store);
  assert.deepEqual(store.v8, { extraNativeBytes: 0, detachedness: new Uint8Array([0, 2, 1]), hasTraceNodeIds: true });
});

test('reads the 6-field layout without trace ids or detachedness', async () => {
  const store = await readText(tinySnapshotJson({ traceNodeId: false, detachedness: false }));
  assertTinyGraph(store);
  assert.deepEqual(store.v8, { extraNativeBytes: 0, detachedness: null, hasTraceNodeIds: false });
});

test('accepts 5 location fields, extra_native_bytes and root_index', async () => {
  const store = await readText(tinySnapshotJson({ locationFields: 5, extraNativeBytes: 123456, traceNodeId: false, rootIndex: 0 }));
  assertTinyGraph(store);
  assert.equal(store.v8?.extraNativeBytes, 123456);
  const rooted = await readText(tinySnapshotJson({ rootIndex: 7 }));
  assert.equal(rooted.rootOrdinal, 1);
});

test('appends node type names it does not know instead of failing', async () => {
  const store = await readText(tinySnapshotJson({ extraNodeTypes: ['wasm object'], arrayUsesExtraType: true }));
  assert.equal(store.nodeKindNames.length, canonicalNodeKindNames.length + 1);
  assert.equal(store.nodeKindNames[store.nodeKind[2]!], 'wasm object');
});

test('skips unknown sections and reads sections in any order, whatever the chunking', async () => {
  const extraSections = { scopes: '[1,2,{"deep":[[["x\\"]"]]]}]', future_table: '{"a":[true,false,null,-1.5e-3]}', 'odd\\"key': '7' };
  const orders = [
    undefined,
    ['future_table', 'strings', 'edges', 'locations', 'nodes', 'scopes', 'odd\\"key', 'snapshot'],
    ['nodes', 'snapshot', 'strings', 'edges'],
    ['edges', 'nodes', 'strings', 'snapshot'],
  ];
  for (const order of orders) {
    const text = tinySnapshotJson({ extraSections, order: order as TinySnapshotOptions['order'] });
    for (const chunkBytes of [1, 3, 17, 1 << 20]) assertTinyGraph(await readText(text, chunkBytes));
  }
});

test('grows its columns when the header counts are missing', async () => {
  assertTinyGraph(await readText(tinySnapshotJson({ omitCounts: true }), 5));
});

test('element and hidden edge names are indexes, other kinds are strings', async () => {
  const store = await readText(tinySnapshotJson());
  assert.equal(edgeKindOf(store, 0), EdgeKind.element);
  assert.equal(edgeNameOf(store, 0), 0);
  assert.equal(edgeKindOf(store, 3), EdgeKind.hidden);
  assert.equal(edgeNameOf(store, 3), 1);
  assert.equal(store.strings.get(edgeNameOf(store, 1)), 'x');
});
