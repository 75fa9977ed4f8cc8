import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DerivedIndexes } from './derived.js';
import { GraphBuilder } from './graph-builder.js';
import type { GraphStore } from './graph-store.js';
import { readIndexFile, writeIndexFile } from './index-file.js';
import { type IndexHeader, crc32, endMarkerByteLength, preambleByteLength } from './index-file-layout.js';
import { EdgeKind, NodeKind } from './kinds.js';
import { edgeKindShift, edgeNameOf, overflowName } from './edge-packing.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcsh-index-file-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const v8Source = { path: '/snapshots/app.heapsnapshot', format: 'heapsnapshot', byteSize: 12345, mtimeMs: 1700000000123.5 } as const;
const pySource = { path: '/snapshots/app.pyheap', format: 'pyheap', byteSize: 999, mtimeMs: 1700000000000 } as const;

function v8Store(): GraphStore {
  const b = new GraphBuilder('');
  const root = b.addNode({ kind: NodeKind.synthetic, name: '(root)', id: 1, selfSize: 0 });
  const a = b.addNode({ kind: NodeKind.object, name: 'Äpfel 🍎', id: 7, selfSize: 10.5 });
  const arr = b.addNode({ kind: NodeKind.array, name: 'Array', id: 5, selfSize: 2 ** 40 });
  const s = b.addNode({ kind: 15, name: 'custom kind', id: 3, selfSize: 16 });
  b.addEdge(arr, EdgeKind.element, 7, a);
  b.addEdge(root, EdgeKind.property, 'a', a);
  b.addEdge(root, EdgeKind.shortcut, 'arr', arr);
  b.addEdge(a, EdgeKind.property, 'self', a);
  b.addEdge(a, EdgeKind.hidden, 3, s);
  b.addEdge(s, 11, 'custom edge', root);
  b.addEdge(s, EdgeKind.element, 3_000_000_000, a); // a huge sparse array's index: past 28 bits, kept aside
  const built = b.build({ language: 'v8', source: v8Source, v8: { extraNativeBytes: 4096, detachedness: Uint8Array.from([0, 1, 2, 0]), hasTraceNodeIds: true } });
  return { ...built, nodeKindNames: [...built.nodeKindNames, 'custom kind'], edgeKindNames: [...built.edgeKindNames, 'custom edge'] };
}

function pythonStore(): GraphStore {
  const b = new GraphBuilder('');
  const root = b.addNode({ kind: NodeKind.synthetic, name: '(roots)', id: 0, selfSize: 0 });
  const d = b.addNode({ kind: NodeKind.object, name: 'builtins.dict', id: 140000000000123, selfSize: 232 });
  const l = b.addNode({ kind: NodeKind.array, name: 'builtins.list', id: 140000000000456, selfSize: 72 });
  const repr = b.intern("{'k': [...]}");
  b.addEdge(root, EdgeKind.local, 'cache', d);
  b.addEdge(d, EdgeKind.key, "'k'", l);
  b.addEdge(l, EdgeKind.element, 0, d);
  b.addEdge(l, EdgeKind.member, 0, l);
  return b.build({
    language: 'python',
    source: pySource,
    python: {
      refcount: Float64Array.from([0, 2, 1]),
      generation: Int8Array.from([-1, 2, 3]),
      flags: Uint16Array.from([64, 1 | 4, 256]),
      repr: Uint32Array.from([0, repr, 0]),
      pythonVersion: '3.12.1',
    },
  });
}

function fakeDerived(store: GraphStore): DerivedIndexes {
  const n = store.nodeCount;
  const distance = new Int32Array(n);
  const dominator = new Uint32Array(n);
  const retainedSize = new Float64Array(n);
  const nodeFlags = new Uint8Array(n);
  const classOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    distance[i] = i === 0 ? 0 : i === n - 1 ? -5 : i;
    dominator[i] = i === 0 ? 0 : i - 1;
    retainedSize[i] = 1.5 * 2 ** 33 + i;
    nodeFlags[i] = i & 0x1f;
    classOf[i] = i % 2;
  }
  return { distance, dominator, retainedSize, nodeFlags, classOf, classNames: ['Object', 'Ärger "quoted"'], totalSize: 2 ** 45 + 0.5 };
}

function assertSameIndex(actual: { store: GraphStore; derived: DerivedIndexes }, store: GraphStore, derived: DerivedIndexes): void {
  const a = actual.store;
  for (const key of ['language', 'source', 'nodeCount', 'edgeCount', 'rootOrdinal', 'nodeKindNames', 'edgeKindNames', 'v8', 'python'] as const)
    assert.deepEqual(a[key], store[key], key);
  for (const key of ['nodeKind', 'nodeName', 'nodeId', 'selfSize', 'firstOutEdge', 'edgeKindAndName', 'edgeTarget', 'firstInEdge', 'inEdgeOrdinal', 'edgeSourceBlocks'] as const)
    assert.deepEqual(a[key], store[key], key);
  assert.deepEqual(a.edgeNameOverflow, store.edgeNameOverflow);
  for (let e = 0; e < store.edgeCount; e++) assert.equal(edgeNameOf(a, e), edgeNameOf(store, e));
  assert.equal(a.strings.count, store.strings.count);
  assert.deepEqual(a.strings.bytes, store.strings.bytes);
  assert.deepEqual(a.strings.offsets, store.strings.offsets);
  for (let i = 0; i < store.strings.count; i++) assert.equal(a.strings.get(i), store.strings.get(i));
  assert.deepEqual(actual.derived, derived);
}

async function writeFixture(name: string, store = v8Store()): Promise<{ path: string; bytes: Buffer }> {
  const path = join(dir, name);
  await writeIndexFile(path, store, fakeDerived(store));
  return { path, bytes: await readFile(path) };
}

function headerOf(bytes: Buffer): IndexHeader {
  const length = bytes.readUInt32LE(16);
  return JSON.parse(bytes.subarray(preambleByteLength, preambleByteLength + length).toString('utf8')) as IndexHeader;
}

/**
 * Rewrite the header with a consistent checksum, size and end marker, as a hostile (not merely damaged) file
 * would. The data area moves 64 bytes later to make room, and every section offset follows it.
 */
function withHeader(bytes: Buffer, mutate: (header: Record<string, any>) => void): Buffer {
  const shift = 64;
  const header = headerOf(bytes) as unknown as Record<string, any>;
  mutate(header);
  if (Array.isArray(header.sections)) for (const section of header.sections) if (typeof section.offset === 'number') section.offset += shift;
  header.fileByteLength += shift;
  const json = Buffer.from(JSON.stringify(header));
  const oldDataStart = Math.ceil((preambleByteLength + bytes.readUInt32LE(16)) / 8) * 8;
  const newDataStart = oldDataStart + shift;
  assert.ok(preambleByteLength + json.length <= newDataStart, 'mutated header must fit');
  const out = Buffer.alloc(bytes.length + shift, 0x20); // JSON tolerates trailing spaces
  bytes.copy(out, 0, 0, preambleByteLength);
  json.copy(out, preambleByteLength);
  bytes.copy(out, newDataStart, oldDataStart);
  const headerBytes = out.subarray(preambleByteLength, newDataStart);
  const crc = crc32(headerBytes);
  out.writeUInt32LE(headerBytes.length, 16);
  out.writeUInt32LE(crc, 20);
  out.writeDoubleLE(out.length, 24);
  out.writeUInt32LE(crc, out.length - endMarkerByteLength + 8);
  return out;
}

async function rejectionOf(name: string, bytes: Uint8Array, expected: { path: string; byteSize: number; mtimeMs: number } = v8Source): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const result = await readIndexFile(path, expected);
  assert.ok('rejected' in result, `${name} should be rejected`);
  return result.rejected;
}

test('round-trips every column of a V8 store with detachedness and its derived indexes', async () => {
  const store = v8Store();
  const derived = fakeDerived(store);
  const path = join(dir, 'v8.gcshidx');
  await writeIndexFile(path, store, derived);
  const result = await readIndexFile(path, v8Source);
  assert.ok(!('rejected' in result), 'rejected' in result ? result.rejected : '');
  assertSameIndex(result, store, derived);
});

test('round-trips every column of a Python store including pythonVersion', async () => {
  const store = pythonStore();
  const derived = fakeDerived(store);
  const path = join(dir, 'py.gcshidx');
  await writeIndexFile(path, store, derived);
  const result = await readIndexFile(path, pySource);
  assert.ok(!('rejected' in result), 'rejected' in result ? result.rejected : '');
  assertSameIndex(result, store, derived);
  assert.equal(result.store.python?.pythonVersion, '3.12.1');
  assert.equal(result.store.v8, null);
});

test('round-trips an empty store with zero-length sections', async () => {
  const store = new GraphBuilder('').build({ language: 'v8', source: v8Source });
  const derived: DerivedIndexes = { ...fakeDerived(store), classNames: [] };
  const path = join(dir, 'empty.gcshidx');
  await writeIndexFile(path, store, derived);
  const result = await readIndexFile(path, v8Source);
  assert.ok(!('rejected' in result), 'rejected' in result ? result.rejected : '');
  assertSameIndex(result, store, derived);
});

test('places every section on an 8-byte boundary and views columns in place without copying', async () => {
  const { path, bytes } = await writeFixture('aligned.gcshidx');
  for (const section of headerOf(bytes).sections) assert.equal(section.offset % 8, 0, section.name);
  const result = await readIndexFile(path, v8Source);
  assert.ok(!('rejected' in result));
  // Small files are read with one read into one buffer; the columns are views over it.
  assert.equal(result.store.edgeTarget.buffer, result.store.nodeId.buffer);
  assert.equal(result.derived.retainedSize.buffer, result.store.nodeId.buffer);
});

test('reads sections into several buffers, in concurrent chunks, when they exceed one segment', async () => {
  const store = v8Store();
  const derived = fakeDerived(store);
  const { path } = await writeFixture('segments.gcshidx', store);
  // 24-byte segments: the 32-byte nodeId section is bigger than a segment and gets a buffer of its own.
  const result = await readIndexFile(path, v8Source, { segmentBytes: 24, chunkBytes: 5 });
  assert.ok(!('rejected' in result), 'rejected' in result ? result.rejected : '');
  assertSameIndex(result, store, derived);
  assert.notEqual(result.store.nodeId.buffer, result.store.edgeTarget.buffer);
  assert.equal(result.store.nodeId.byteOffset % 8, 0);
});

test('rejects the index when the snapshot path, size or mtime changed', async () => {
  const { path } = await writeFixture('stale.gcshidx');
  for (const expected of [
    { ...v8Source, byteSize: v8Source.byteSize + 1 },
    { ...v8Source, mtimeMs: v8Source.mtimeMs + 1 },
    { ...v8Source, path: '/snapshots/other.heapsnapshot' },
  ]) {
    const result = await readIndexFile(path, expected);
    assert.ok('rejected' in result);
    assert.match(result.rejected, /stale/);
  }
});

test('rejects files written by another format or layout version', async () => {
  const { bytes } = await writeFixture('versions.gcshidx');
  for (const offset of [8, 12]) {
    const other = Buffer.from(bytes);
    other.writeUInt32LE(other.readUInt32LE(offset) + 1, offset);
    assert.match(await rejectionOf(`version-${offset}.gcshidx`, other), /another gcsh version/);
  }
});

test('rejects a missing file and a zero-length file', async () => {
  const missing = await readIndexFile(join(dir, 'nope.gcshidx'), v8Source);
  assert.ok('rejected' in missing && /no index file/.test(missing.rejected));
  assert.match(await rejectionOf('zero.gcshidx', new Uint8Array(0)), /truncated/);
});

test('rejects a file truncated at any of several offsets', async () => {
  const { bytes } = await writeFixture('truncate.gcshidx');
  const headerEnd = preambleByteLength + bytes.readUInt32LE(16);
  for (const length of [1, 8, 31, 32, 40, headerEnd - 1, headerEnd, headerEnd + 9, Math.floor(bytes.length / 2), bytes.length - 17, bytes.length - 1])
    assert.match(await rejectionOf('truncated.gcshidx', bytes.subarray(0, length)), /truncated/, `length ${length}`);
});

test('rejects random corruption of the preamble, header and section table', async () => {
  const { bytes } = await writeFixture('corrupt.gcshidx');
  const headerEnd = preambleByteLength + bytes.readUInt32LE(16);
  let seed = 12345;
  const random = (limit: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % limit;
  };
  for (let trial = 0; trial < 200; trial++) {
    const damaged = Buffer.from(bytes);
    const at = random(headerEnd);
    damaged[at] = damaged[at]! ^ (1 + random(255));
    await rejectionOf('corrupt-header.gcshidx', damaged);
  }
});

test('never throws on random damage anywhere in the file', async () => {
  const { bytes } = await writeFixture('fuzz.gcshidx');
  let seed = 777;
  const random = (limit: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % limit;
  };
  const path = join(dir, 'fuzz-damaged.gcshidx');
  for (let trial = 0; trial < 150; trial++) {
    const damaged = Buffer.from(bytes);
    for (let flips = 1 + random(4); flips > 0; flips--) damaged[random(damaged.length)] = random(256);
    await writeFile(path, damaged);
    const result = await readIndexFile(path, v8Source); // resolves with a store or a reason, never rejects
    if (!('rejected' in result)) assert.equal(result.store.nodeCount, 4);
  }
});

test('rejects a consistent-looking header whose section table contradicts the counts', async () => {
  const { bytes } = await writeFixture('table.gcshidx');
  assert.ok(!('rejected' in (await readIndexFile(join(dir, 'table.gcshidx'), v8Source))));
  const untouched = withHeader(bytes, () => {});
  await writeFile(join(dir, 'table-untouched.gcshidx'), untouched);
  assert.ok(!('rejected' in (await readIndexFile(join(dir, 'table-untouched.gcshidx'), v8Source))), 'the rewrite itself keeps the file valid');
  const cases: Array<[string, (h: Record<string, any>) => void, RegExp]> = [
    ['length', (h) => void (h.sections[2].byteLength -= 8), /expected/],
    ['misaligned', (h) => void (h.sections[3].offset += 4), /aligned/],
    ['out of bounds', (h) => void (h.sections[1].offset = 1e12), /outside/],
    ['overlap', (h) => void (h.sections[1].offset = h.sections[0].offset), /overlap/],
    ['missing', (h) => void h.sections.pop(), /sections|missing/],
    ['wrong type', (h) => void (h.sections[0].type = 'u16'), /type/],
    ['huge count', (h) => void (h.nodeCount = 2 ** 32 - 2), /expected|outside/],
    ['negative count', (h) => void (h.edgeCount = -1), /edgeCount/],
    ['bad root', (h) => void (h.rootOrdinal = 99), /rootOrdinal/],
    ['not json object', (h) => void (h.sections = 'x'), /section table/],
  ];
  for (const [name, mutate, pattern] of cases) assert.match(await rejectionOf(`table-${name}.gcshidx`, withHeader(bytes, mutate)), pattern, name);
});

test('rejects column data that breaks store invariants', async () => {
  const { bytes } = await writeFixture('invariants.gcshidx');
  const sections = new Map(headerOf(bytes).sections.map((s) => [s.name, s]));
  const poke = (name: string, index: number, value: number, width: 4 | 8 = 4): Buffer => {
    const out = Buffer.from(bytes);
    const at = sections.get(name)!.offset + index * width;
    if (width === 4) out.writeUInt32LE(value, at);
    else out.writeDoubleLE(value, at);
    return out;
  };
  assert.match(await rejectionOf('inv-target.gcshidx', poke('edgeTarget', 0, 4)), /targets an ordinal/);
  assert.match(await rejectionOf('inv-retained-edge.gcshidx', poke('inEdgeOrdinal', 5, 60)), /retainer/);
  const property = EdgeKind.property << edgeKindShift;
  assert.match(await rejectionOf('inv-edge-name.gcshidx', poke('edgeKindAndName', 1, property | 1000)), /names string 1000/);
  assert.match(await rejectionOf('inv-edge-overflow.gcshidx', poke('edgeKindAndName', 1, property | overflowName)), /long edge names/);
  assert.match(await rejectionOf('inv-edge-kind.gcshidx', poke('edgeKindAndName', 1, (15 << edgeKindShift) >>> 0)), /kind beyond/);
  assert.match(await rejectionOf('inv-csr.gcshidx', poke('firstOutEdge', 1, 5)), /decreases/);
  assert.match(await rejectionOf('inv-name.gcshidx', poke('nodeName', 0, 1000)), /names a string/);
  assert.match(await rejectionOf('inv-dominator.gcshidx', poke('dominator', 2, 4)), /dominator/);
  assert.match(await rejectionOf('inv-strings.gcshidx', poke('stringOffsets', 1, 1e9, 8)), /offsets/);
  assert.match(await rejectionOf('inv-class.gcshidx', poke('classOf', 1, 2)), /class/);
});

test('writes atomically: no temp file remains and the final name holds a complete file', async () => {
  const sub = await mkdtemp(join(dir, 'atomic-'));
  const store = v8Store();
  await writeIndexFile(join(sub, 'a.gcshidx'), store, fakeDerived(store));
  await writeIndexFile(join(sub, 'a.gcshidx'), store, fakeDerived(store)); // replacing an existing index
  assert.deepEqual(await readdir(sub), ['a.gcshidx']);
  assert.ok(!('rejected' in (await readIndexFile(join(sub, 'a.gcshidx'), v8Source))));
});

test('a write that fails midway leaves the previous index intact and no temp file', async () => {
  const sub = await mkdtemp(join(dir, 'failing-'));
  const path = join(sub, 'a.gcshidx');
  const store = v8Store();
  await writeIndexFile(path, store, fakeDerived(store));
  const before = await readFile(path);
  // A column whose bytes cannot be read: the writer fails after the header and earlier sections are on disk.
  const poisoned = new Uint32Array(store.edgeCount);
  Object.defineProperty(poisoned, 'buffer', { get: () => { throw new Error('disk on fire'); } });
  await assert.rejects(writeIndexFile(path, { ...store, inEdgeOrdinal: poisoned }, fakeDerived(store)), /disk on fire/);
  assert.deepEqual(await readdir(sub), ['a.gcshidx']);
  assert.deepEqual(await readFile(path), before);
  await assert.rejects(writeIndexFile(join(sub, 'fresh.gcshidx'), { ...store, inEdgeOrdinal: poisoned }, fakeDerived(store)));
  assert.deepEqual(await readdir(sub), ['a.gcshidx']);
});

test('refuses to write columns whose lengths disagree with the counts', async () => {
  const store = v8Store();
  await assert.rejects(writeIndexFile(join(dir, 'bad.gcshidx'), store, { ...fakeDerived(store), classOf: new Uint32Array(1) }), /classOf/);
  assert.equal((await stat(join(dir, 'bad.gcshidx')).catch(() => null)), null);
});
