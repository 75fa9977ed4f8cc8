// Cross-layer large-input test: a synthetic snapshot with more than 2^24 nodes (the Map/Set limit) and a strings
// section longer than V8's maximum string length, generated on the fly into a temp dir and deleted afterwards.
// Slow (tens of seconds, ~2 GB RAM): filter it out with GCSH_SKIP_LARGE=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgeKind, NodeKind } from '../../src/store/kinds.js';
import { ordinalOfNodeId } from '../../src/store/id-index.js';
import { sourceOfEdge } from '../../src/store/edge-source.js';
import { readHeapSnapshot } from '../../src/formats/v8/read-heapsnapshot.js';
import { edgeKindOf, edgeNameOf } from '../../src/store/edge-packing.js';

const nodeCount = 2 ** 24 + 1000;
/** Every 64th node has one property edge to the next node. */
const edgeEvery = 64;
const edgeCount = Math.ceil(nodeCount / edgeEvery);
/** V8's maximum string length is 536,870,888 UTF-16 units; three strings of 180M characters exceed it together. */
const bigStringChars = 180_000_000;
const bigStringCount = 3;
const smallStringCount = 100_000;
/** strings: 0 "<dummy>", 1 "", 2..4 big, 5.. small "name<k>". */
const firstSmall = 2 + bigStringCount;
const stringCount = firstSmall + smallStringCount;

/** Streams a snapshot to `path` through an 8 MiB buffer, writing digits byte by byte (fast, little memory). */
function writeLargeSnapshot(path: string): number {
  const fd = openSync(path, 'w');
  const buffer = Buffer.alloc(8 << 20);
  let used = 0;
  let total = 0;
  const flush = (): void => {
    writeSync(fd, buffer, 0, used);
    total += used;
    used = 0;
  };
  const text = (value: string): void => {
    if (used + value.length * 3 > buffer.length) flush();
    used += buffer.write(value, used);
  };
  const digits = new Uint8Array(20);
  const number = (value: number): void => {
    let n = value;
    let k = 0;
    do {
      digits[k++] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    while (k > 0) buffer[used++] = digits[--k]!;
  };
  const header = {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'],
      node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'], 'string', 'number', 'number', 'number', 'number'],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
      location_fields: ['object_index', 'script_id', 'line', 'column'],
    },
    node_count: nodeCount,
    edge_count: edgeCount,
    trace_function_count: 0,
  };
  text(`{"snapshot":${JSON.stringify(header)},\n"nodes":[`);
  for (let i = 0; i < nodeCount; i++) {
    if (used > buffer.length - 128) flush();
    if (i > 0) buffer[used++] = 0x2c;
    // type, name, id, self_size, edge_count, detachedness
    number(i === 0 ? 9 : 3);
    buffer[used++] = 0x2c;
    number(i === 0 ? 1 : i < 1 + bigStringCount ? 1 + i : firstSmall + (i % smallStringCount));
    buffer[used++] = 0x2c;
    number(2 * i + 1);
    buffer[used++] = 0x2c;
    number(i % 1000);
    buffer[used++] = 0x2c;
    number(i % edgeEvery === 0 ? 1 : 0);
    buffer[used++] = 0x2c;
    number(0);
    buffer[used++] = 0x0a;
  }
  text('],\n"edges":[');
  for (let i = 0, e = 0; i < nodeCount; i += edgeEvery, e++) {
    if (used > buffer.length - 128) flush();
    if (e > 0) buffer[used++] = 0x2c;
    number(EdgeKind.property);
    buffer[used++] = 0x2c;
    number(firstSmall + (e % smallStringCount));
    buffer[used++] = 0x2c;
    number(((i + 1) % nodeCount) * 6);
    buffer[used++] = 0x0a;
  }
  text('],\n"locations":[],\n"strings":["<dummy>",""');
  const filler = Buffer.alloc(4 << 20, 'a');
  for (let s = 0; s < bigStringCount; s++) {
    // Each big string starts with an escaped "é" and ends with an escaped surrogate pair, to cross chunks with escapes.
    text(',\n"\\u00e9');
    flush();
    let left = bigStringChars - 2 - 2;
    while (left > 0) {
      const piece = Math.min(left, filler.length);
      writeSync(fd, filler, 0, piece);
      total += piece;
      left -= piece;
    }
    text('\\ud83d\\ude00"');
  }
  for (let k = 0; k < smallStringCount; k++) {
    if (used > buffer.length - 64) flush();
    text(`,\n"name${k}"`);
  }
  text(']}\n');
  flush();
  closeSync(fd);
  return total;
}

test('large: loads more than 2^24 nodes and a strings section beyond the max string length', { skip: process.env.GCSH_SKIP_LARGE === '1', timeout: 600_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-large-'));
  try {
    const path = join(dir, 'large.heapsnapshot');
    const started = performance.now();
    const byteSize = writeLargeSnapshot(path);
    const written = performance.now();
    assert.ok(byteSize > 2 ** 29);
    const store = await readHeapSnapshot(path);
    const loadMs = performance.now() - written;
    t.diagnostic(`wrote ${(byteSize / 1e6).toFixed(0)} MB in ${(written - started).toFixed(0)} ms; loaded in ${loadMs.toFixed(0)} ms (${(byteSize / 1e3 / loadMs).toFixed(0)} MB/s)`);
    assert.equal(store.nodeCount, nodeCount);
    assert.ok(store.nodeCount > 2 ** 24);
    assert.equal(store.edgeCount, edgeCount);
    assert.equal(store.strings.count, stringCount);
    let bigChars = 0;
    for (let s = 2; s < firstSmall; s++) {
      // UTF-8: "é" is 2 bytes, the emoji 4, the filler 1 each; as UTF-16 that is 1 + (n - 4) + 2 units.
      assert.equal(store.strings.byteLength(s), 2 + (bigStringChars - 4) + 4);
      bigChars += bigStringChars - 1;
    }
    assert.ok(bigChars > 536_870_888, 'the strings section exceeds V8 max string length');
    const big = store.strings.bytes.subarray(store.strings.offsets[2]!, store.strings.offsets[2]! + 3);
    assert.equal(new TextDecoder().decode(big), '\u00e9a');
    assert.equal(store.strings.get(firstSmall + 7), 'name7');

    const last = nodeCount - 1;
    assert.equal(store.nodeId[last], 2 * last + 1);
    assert.equal(ordinalOfNodeId(store, 2 * last + 1), last);
    assert.equal(store.nodeKind[0], NodeKind.synthetic);
    assert.equal(store.strings.get(store.nodeName[last]!), `name${last % smallStringCount}`);
    // Node 64 * 1000 has the 1000th edge: property "name1000" to the next node.
    const source = edgeEvery * 1000;
    const edge = store.firstOutEdge[source]!;
    assert.equal(store.firstOutEdge[source + 1]! - edge, 1);
    assert.equal(edgeKindOf(store, edge), EdgeKind.property);
    assert.equal(store.strings.get(edgeNameOf(store, edge)), 'name1000');
    assert.equal(store.edgeTarget[edge], source + 1);
    assert.equal(sourceOfEdge(store, store.inEdgeOrdinal[store.firstInEdge[source + 1]!]!), source);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
