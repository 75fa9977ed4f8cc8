// Tests for the .pyheap reader on hand-made files: mapping into the store, gzip, sniffing, and every kind of bad input.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BadInputError, GcshError } from '../../base/errors.js';
import { PyFlag } from '../../store/graph-store.js';
import { ordinalOfNodeId } from '../../store/id-index.js';
import { EdgeKind, NodeKind } from '../../store/kinds.js';
import { isPyheap, readPyheap, readPyheapWithHeader } from './read-pyheap.js';
import { pythonRepr } from './python-repr.js';
import { edgeKindOf, edgeNameOf } from '../../store/edge-packing.js';

interface EdgeSpec {
  target: number;
  kind?: number;
  name?: number;
}
interface NodeSpec {
  id: number;
  type: number;
  refcount?: number;
  repr?: number;
  flags?: number;
  kind?: number;
  edges?: EdgeSpec[];
}

function section(tag: string, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.write(tag, 0, 'latin1');
  head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** Encode a snapshot exactly as docs/pyheap-format.md describes (the agent's layout). */
function encodePyheap(strings: string[], nodes: NodeSpec[], roots: Array<[number, number]>, headerExtra: object = {}): Buffer {
  const edges = nodes.flatMap((n) => n.edges ?? []);
  const header = { format: 'pyheap', version: 1, python: { version: '3.12.1' }, nodeCount: nodes.length, edgeCount: edges.length, ...headerExtra };
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x59, 0x48, 0x45, 0x41, 0x50, 0x0a, 1, 0, 0, 0])];
  parts.push(section('HEAD', Buffer.from(JSON.stringify(header))));
  const encoded = strings.map((s) => Buffer.from(s));
  const lengths = Buffer.alloc(4 + 4 * encoded.length);
  lengths.writeUInt32LE(encoded.length, 0);
  encoded.forEach((b, i) => lengths.writeUInt32LE(b.length, 4 + 4 * i));
  parts.push(section('STRS', Buffer.concat([lengths, ...encoded])));
  const k = nodes.length;
  const node = Buffer.alloc(4 + 40 * k);
  node.writeUInt32LE(k, 0);
  nodes.forEach((n, i) => {
    node.writeDoubleLE(n.id, 4 + 8 * i);
    node.writeDoubleLE(16, 4 + 8 * k + 8 * i);
    node.writeDoubleLE(n.refcount ?? 1, 4 + 16 * k + 8 * i);
    node.writeUInt32LE(n.type, 4 + 24 * k + 4 * i);
    node.writeUInt32LE(n.repr ?? 0, 4 + 28 * k + 4 * i);
    node.writeUInt32LE(n.edges?.length ?? 0, 4 + 32 * k + 4 * i);
    node.writeUInt16LE(n.flags ?? PyFlag.gcTracked, 4 + 36 * k + 2 * i);
    node.writeInt8(-1, 4 + 38 * k + i);
    node.writeUInt8(n.kind ?? 0, 4 + 39 * k + i);
  });
  parts.push(section('NODE', node));
  const m = edges.length;
  const edge = Buffer.alloc(4 + 13 * m);
  edge.writeUInt32LE(m, 0);
  edges.forEach((e, i) => {
    edge.writeDoubleLE(e.target, 4 + 8 * i);
    edge.writeUInt32LE(e.name ?? 0, 4 + 8 * m + 4 * i);
    edge.writeUInt8(e.kind ?? 0, 4 + 12 * m + i);
  });
  parts.push(section('EDGE', edge));
  const root = Buffer.alloc(4 + 12 * roots.length);
  root.writeUInt32LE(roots.length, 0);
  roots.forEach(([id, name], i) => {
    root.writeDoubleLE(id, 4 + 8 * i);
    root.writeUInt32LE(name, 4 + 8 * roots.length + 4 * i);
  });
  parts.push(section('ROOT', root));
  const end = Buffer.alloc(16);
  end.writeDoubleLE(nodes.length, 0);
  end.writeDoubleLE(m, 8);
  parts.push(section('END ', end));
  return Buffer.concat(parts);
}

// strings: 1 module, 2 dict, 3 list, 4 A, 5 'ref', 6 "<A repr>", 7 sys.modules['m'], 8 str, 9 weakref
const strings = ['module', 'dict', 'list', '__main__.A', "'ref'", '<A repr>', "sys.modules['m']", 'str', 'weakref'];
const sample = encodePyheap(
  strings,
  [
    { id: 0x5000, type: 1, kind: 12, edges: [{ target: 0x5100, kind: 0, name: 0 }] }, // module -> its dict
    { id: 0x5100, type: 2, kind: 6, edges: [{ target: 0x5200, kind: 3, name: 5 }] }, // dict['ref'] -> list
    { id: 0x5200, type: 3, kind: 4, refcount: 1, edges: [{ target: 0x5300 }, { target: 0x5400 }] }, // list -> [A, str]
    { id: 0x5300, type: 4, repr: 6, refcount: 3, edges: [{ target: 0x5300, kind: 2, name: 5 }] }, // A.ref = A; held twice outside
    { id: 0x5400, type: 8, kind: 1, flags: 0 }, // an untracked str leaf
    { id: 0x4000, type: 4, refcount: 1, edges: [{ target: 0x4000, kind: 2, name: 5 }] }, // self-cyclic garbage A
    { id: 0x5500, type: 9, kind: 15, flags: PyFlag.gcTracked | PyFlag.isWeakref, refcount: 1, edges: [{ target: 0x4000, kind: 7 }] },
  ],
  [[0x5000, 7]],
);

// One temp folder for the whole file, removed when it ends; each file gets its own subfolder so names never clash.
const scratch = mkdtempSync(join(tmpdir(), 'gcsh-pyheap-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function tempFile(name: string, bytes: Uint8Array | string): string {
  const path = join(mkdtempSync(join(scratch, 'case-')), name);
  writeFileSync(path, bytes);
  return path;
}

test('reads nodes in id order under a synthetic root, with python columns and labelled edges', async () => {
  const store = await readPyheap(tempFile('sample.pyheap', sample));
  assert.equal(store.language, 'python');
  assert.equal(store.nodeCount, 8);
  assert.equal(store.rootOrdinal, 0);
  assert.equal(store.nodeKind[0], NodeKind.synthetic);
  for (let o = 1; o < store.nodeCount; o++) assert.ok(store.nodeId[o]! > store.nodeId[o - 1]!, 'ids ascend');
  const a = ordinalOfNodeId(store, 0x5300);
  assert.equal(store.strings.get(store.nodeName[a]!), '__main__.A');
  assert.equal(pythonRepr(store, a), '<A repr>');
  assert.equal(pythonRepr(store, ordinalOfNodeId(store, 0x4000)), '<__main__.A object at 0x4000>');
  assert.equal(store.python!.refcount[a], 3);
  const list = ordinalOfNodeId(store, 0x5200);
  assert.equal(store.nodeKind[list], NodeKind.array);
  const listEdges = [store.firstOutEdge[list]!, store.firstOutEdge[list]! + 1];
  assert.deepEqual(listEdges.map((e) => [edgeKindOf(store, e), edgeNameOf(store, e)]), [[EdgeKind.element, 0], [EdgeKind.element, 1]], 'implicit indexes');
  const dict = ordinalOfNodeId(store, 0x5100);
  assert.equal(edgeKindOf(store, store.firstOutEdge[dict]!), EdgeKind.key);
  assert.equal(store.strings.get(edgeNameOf(store, store.firstOutEdge[dict]!)), "'ref'");
  const weak = ordinalOfNodeId(store, 0x5500);
  assert.equal(edgeKindOf(store, store.firstOutEdge[weak]!), EdgeKind.weak);
});

test('links the root to named roots and to objects whose refcount tracked referrers do not explain', async () => {
  const store = await readPyheap(tempFile('sample.pyheap', sample));
  const rootTargets: string[] = [];
  for (let e = store.firstOutEdge[0]!; e < store.firstOutEdge[1]!; e++) {
    rootTargets.push(`${store.nodeId[store.edgeTarget[e]!]!.toString(16)} ${store.strings.get(edgeNameOf(store, e))}`);
  }
  assert.deepEqual(rootTargets.sort(), ['5000 sys.modules[\'m\']', '5300 (held from outside the tracked heap)', '5500 (held from outside the tracked heap)']);
  assert.ok(store.python!.flags[ordinalOfNodeId(store, 0x5300)]! & PyFlag.root);
  assert.equal(store.python!.flags[ordinalOfNodeId(store, 0x4000)]! & PyFlag.root, 0, 'garbage is not a root');
});

test('reads gzip-compressed snapshots and returns the header', async () => {
  const { store, header } = await readPyheapWithHeader(tempFile('sample.pyheap.gz', gzipSync(sample)));
  assert.equal(store.nodeCount, 8);
  assert.equal(header.python.version, '3.12.1');
});

test('sniffs plain and gzip .pyheap data and rejects everything else', () => {
  assert.equal(isPyheap(sample.subarray(0, 12)), true);
  assert.equal(isPyheap(gzipSync(sample).subarray(0, 200)), true);
  assert.equal(isPyheap(Buffer.from('{"snapshot":{"meta":{}}}')), false);
  assert.equal(isPyheap(gzipSync(Buffer.from('{"snapshot":1}'))), false);
  assert.equal(isPyheap(new Uint8Array(0)), false);
});

test('rejects a V8 heap snapshot and junk as unsupported formats', async () => {
  for (const [name, bytes] of [
    ['app.heapsnapshot', '{"snapshot":{"meta":{"node_fields":[]}},"nodes":[]}'],
    ['junk.bin', 'hello, this is not a heap'],
    ['junk.gz', gzipSync(Buffer.from('still not a heap, even compressed'))],
  ] as const) {
    await assert.rejects(readPyheap(tempFile(name, bytes)), (error: unknown) => error instanceof GcshError && error.code === 'unsupported-format', name);
  }
});

test('rejects a newer format version with a hint to upgrade', async () => {
  const newer = Buffer.from(sample);
  newer.writeUInt32LE(99, 8);
  await assert.rejects(readPyheap(tempFile('newer.pyheap', newer)), /version 99.*upgrade gcsh/);
});

test('reports truncated files with the byte offset at every cut point', async () => {
  for (const cut of [5, 12, 15, 40, sample.length - 100, sample.length - 20, sample.length - 1]) {
    const path = tempFile('cut.pyheap', sample.subarray(0, cut));
    await assert.rejects(
      readPyheap(path),
      (error: unknown) => error instanceof BadInputError && error.message.includes(path) && /at byte \d+/.test(error.message),
      `cut at ${cut}`,
    );
  }
  const gz = gzipSync(sample);
  await assert.rejects(readPyheap(tempFile('cut.pyheap.gz', gz.subarray(0, gz.length - 10))), BadInputError);
});

test('reports corrupt sections as bad input instead of crashing or allocating wildly', async () => {
  const corrupt = (at: number, bytes: number[]) => {
    const copy = Buffer.from(sample);
    bytes.forEach((b, i) => (copy[at + i] = b));
    return copy;
  };
  const head = sample.indexOf('HEAD');
  const node = sample.indexOf('NODE');
  const edge = sample.indexOf('EDGE');
  const cases: Array<[string, Buffer]> = [
    ['bad tag', corrupt(node, [0x6e, 0x6f, 0x3f, 0x21])],
    ['huge section', corrupt(node + 4, [0xff, 0xff, 0xff, 0x7f])],
    ['bad node count', corrupt(node + 8, [9])],
    ['bad edge kind', corrupt(edge + 12 + 12 * 7, [200])],
    ['header not JSON', corrupt(head + 8, [0x7b, 0x7b])],
    ['header counts beyond the file', Buffer.from(sample.toString('latin1').replace('"nodeCount":7', '"nodeCount":9'), 'latin1')],
  ];
  for (const [name, bytes] of cases) {
    await assert.rejects(readPyheap(tempFile('corrupt.pyheap', bytes)), BadInputError, name);
  }
});

test('reports read progress and stops when cancelled', async () => {
  const path = tempFile('sample.pyheap', sample);
  const phases = new Set<string>();
  await readPyheap(path, { progress: (phase, done, total) => phases.add(`${phase}:${done <= total || total === 0}`) });
  assert.ok(phases.has('read:true') && phases.has('index:true'));
  await assert.rejects(readPyheap(path, { cancel: { cancelled: true } }), (error: unknown) => error instanceof GcshError && error.code === 'cancelled');
});
