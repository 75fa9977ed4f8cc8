// Layer 1 (store): write a whole GraphStore plus its DerivedIndexes to one versioned binary index file, atomically,
// and read it back as typed-array views over a few big buffers (layout: docs/formats/index-file.md).
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { GcshError } from '../base/errors.js';
import type { DerivedIndexes } from './derived.js';
import { buildEdgeSourceBlocks } from './edge-source.js';
import type { GraphStore, NodeNumberColumn, StoreSource } from './graph-store.js';
import { checkSectionTable, parseIndexHeader } from './index-file-header.js';
import {
  type IndexHeader,
  type SectionEntry,
  type SectionElementType,
  alignTo8,
  crc32,
  endMarkerByteLength,
  expectedSections,
  indexEndMagic,
  indexFormatVersion,
  indexMagic,
  maxHeaderByteLength,
  preambleByteLength,
  storeLayoutVersion,
} from './index-file-layout.js';
import { checkStringOffsets, findIndexInvariantViolation } from './index-invariants.js';
import { StringTable, StringTableBuilder } from './string-table.js';

/** The snapshot a caller is about to load; an index built from anything else is stale. */
export interface ExpectedSource {
  readonly path: string;
  readonly byteSize: number;
  readonly mtimeMs: number;
}

export type IndexReadResult = { store: GraphStore; derived: DerivedIndexes } | { rejected: string };

/** Largest single write call: fs calls are capped just under 2 GiB, so stay well below. */
const ioChunkBytes = 1 << 30;
/** Reads are split into chunks of this size, up to readsInFlight at once (libuv's pool has 4 threads). */
const defaultChunkBytes = 32 << 20;
const readsInFlight = 4;
/**
 * Sections are read into shared buffers of at most this size; a larger section gets a buffer of its own. Keeps
 * any one allocation well under Node 20's 4 GiB Buffer limit when the whole file is bigger.
 */
const defaultSegmentBytes = 1 << 30;

export interface ReadIndexOptions {
  /** Largest buffer shared by several sections (default 1 GiB); tests lower it to exercise the multi-buffer path. */
  readonly segmentBytes?: number;
  /** Size of each concurrent read (default 32 MiB); tests lower it to exercise reads that complete out of order. */
  readonly chunkBytes?: number;
}

type TypedColumn = Uint8Array | Int8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

const columnConstructors = {
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f64: Float64Array,
} as const;

/**
 * Write `store` and `derived` to `path`: to a temp file in the same directory, fsync, then rename, so `path` is
 * either the previous file or the complete new one, never a half file. Sections are streamed straight from the
 * columns with positional writes (no giant concatenated buffer: the string table alone may exceed 2 GiB).
 * Throws GcshError('internal') when the columns are inconsistent, and fs errors (EACCES, ENOSPC…) as they come.
 */
export async function writeIndexFile(path: string, store: GraphStore, derived: DerivedIndexes): Promise<void> {
  const columns = columnsOf(store, derived);
  const { bytes: headerBytes, header } = layOut(store, derived, columns);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  let renamed = false;
  try {
    const headerCrc = crc32(headerBytes);
    const preamble = Buffer.alloc(preambleByteLength);
    preamble.set(indexMagic, 0);
    preamble.writeUInt32LE(indexFormatVersion, 8);
    preamble.writeUInt32LE(storeLayoutVersion, 12);
    preamble.writeUInt32LE(headerBytes.length, 16);
    preamble.writeUInt32LE(headerCrc, 20);
    preamble.writeDoubleLE(header.fileByteLength, 24);
    await writeFully(handle, preamble, 0);
    await writeFully(handle, headerBytes, preambleByteLength);
    for (const entry of header.sections) {
      const column = columns.get(entry.name)!;
      await writeFully(handle, new Uint8Array(column.buffer, column.byteOffset, column.byteLength), entry.offset);
    }
    const end = Buffer.alloc(endMarkerByteLength);
    end.set(indexEndMagic, 0);
    end.writeUInt32LE(headerCrc, 8);
    // Padding between sections is never written explicitly: positional writes past the end leave zero-filled gaps.
    await writeFully(handle, end, header.fileByteLength - endMarkerByteLength);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
    renamed = true;
    await syncDirectory(dirname(path));
  } finally {
    if (!renamed) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
    }
  }
}

async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const length = Math.min(bytes.length - done, ioChunkBytes);
    const { bytesWritten } = await handle.write(bytes, done, length, position + done);
    if (bytesWritten <= 0) throw new GcshError('internal', 'index file write made no progress');
    done += bytesWritten;
  }
}

/** Make the rename itself durable. Directories cannot be opened for fsync on every platform, so failures are ignored. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the file content is already synced; only the directory entry might be lost on power failure.
  }
}

/** Every section's data, keyed by section name (a few dozen entries). */
function columnsOf(store: GraphStore, derived: DerivedIndexes): Map<string, TypedColumn> {
  const strings = store.strings;
  const classTable = encodeStringList(derived.classNames);
  const columns = new Map<string, TypedColumn>([
    ['nodeKind', store.nodeKind],
    ['nodeName', store.nodeName],
    ['nodeId', store.nodeId],
    ['selfSize', store.selfSize],
    ['firstOutEdge', store.firstOutEdge],
    ['edgeKindAndName', store.edgeKindAndName],
    ['edgeNameOverflowEdges', store.edgeNameOverflow.edges],
    ['edgeNameOverflowNames', store.edgeNameOverflow.names],
    ['edgeTarget', store.edgeTarget],
    ['firstInEdge', store.firstInEdge],
    ['inEdgeOrdinal', store.inEdgeOrdinal],
    ['stringBytes', strings.bytes],
    ['stringOffsets', strings.offsets.subarray(0, strings.count + 1)],
    ['distance', derived.distance],
    ['dominator', derived.dominator],
    ['retainedSize', derived.retainedSize],
    ['nodeFlags', derived.nodeFlags],
    ['classOf', derived.classOf],
    ['classNameBytes', classTable.bytes],
    ['classNameOffsets', classTable.offsets],
  ]);
  if (derived.classSummary) {
    columns.set('classCount', derived.classSummary.count);
    columns.set('classSelfSize', derived.classSummary.selfSize);
    columns.set('classRetainedSize', derived.classSummary.retainedSize);
    columns.set('classDistance', derived.classSummary.distance);
    columns.set('classLargest', derived.classSummary.largest);
  }
  if (store.v8?.detachedness) columns.set('v8Detachedness', store.v8.detachedness);
  if (store.python) {
    columns.set('pythonRefcount', store.python.refcount);
    columns.set('pythonGeneration', store.python.generation);
    columns.set('pythonFlags', store.python.flags);
    columns.set('pythonRepr', store.python.repr);
  }
  return columns;
}

function numberColumnType(column: NodeNumberColumn): 'u32' | 'f64' {
  return column instanceof Uint32Array ? 'u32' : 'f64';
}

function encodeStringList(values: readonly string[]): StringTable {
  const builder = new StringTableBuilder(values.length, 16 * values.length);
  for (const value of values) builder.append(value);
  return builder.build();
}

/** Build the header, placing each section at the next 8-byte boundary after the header. */
function layOut(store: GraphStore, derived: DerivedIndexes, columns: Map<string, TypedColumn>): { bytes: Uint8Array; header: IndexHeader } {
  const classBytes = columns.get('classNameBytes')!.byteLength;
  const base = {
    formatVersion: indexFormatVersion,
    layoutVersion: storeLayoutVersion,
    source: { path: store.source.path, format: store.source.format, byteSize: store.source.byteSize, mtimeMs: store.source.mtimeMs },
    language: store.language,
    nodeCount: store.nodeCount,
    edgeCount: store.edgeCount,
    rootOrdinal: store.rootOrdinal,
    stringCount: store.strings.count,
    stringByteLength: store.strings.bytes.length,
    nodeKindNames: [...store.nodeKindNames],
    edgeKindNames: [...store.edgeKindNames],
    edgeNameOverflowCount: store.edgeNameOverflow.edges.length,
    nodeIdType: numberColumnType(store.nodeId),
    selfSizeType: numberColumnType(store.selfSize),
    v8: store.v8 ? { extraNativeBytes: store.v8.extraNativeBytes, hasTraceNodeIds: store.v8.hasTraceNodeIds, hasDetachedness: store.v8.detachedness !== null } : null,
    python: store.python ? { pythonVersion: store.python.pythonVersion, ...(store.python.gcState ? { gcState: store.python.gcState } : {}) } : null,
    derived: {
      totalSize: derived.totalSize,
      classCount: derived.classNames.length,
      classNameByteLength: classBytes,
      hasClassSummary: derived.classSummary !== undefined,
      retainedSizeType: numberColumnType(derived.retainedSize),
      classOfType: derived.classOf instanceof Uint8Array ? ('u8' as const) : derived.classOf instanceof Uint16Array ? ('u16' as const) : ('u32' as const),
    },
  };
  const specs = expectedSections(base);
  for (const spec of specs) {
    const column = columns.get(spec.name);
    if (column === undefined || column.length !== spec.count)
      throw new GcshError('internal', `cannot write index for ${store.source.path}: column ${spec.name} has ${column?.length} elements, expected ${spec.count}`);
  }
  // Section offsets depend on the header's length, which depends on the offsets' digits: iterate to a fixed point
  // (two or three rounds; lengths only grow, and padding to 8 absorbs small changes).
  let headerLength = 0;
  for (;;) {
    let offset = alignTo8(preambleByteLength + headerLength);
    const sections: SectionEntry[] = specs.map((spec) => {
      const entry = { name: spec.name, type: spec.type, offset, byteLength: columns.get(spec.name)!.byteLength };
      offset = alignTo8(offset + entry.byteLength);
      return entry;
    });
    const header: IndexHeader = { ...base, fileByteLength: offset + endMarkerByteLength, sections };
    const bytes = new TextEncoder().encode(JSON.stringify(header));
    if (alignTo8(preambleByteLength + bytes.length) === alignTo8(preambleByteLength + headerLength)) return { bytes, header };
    headerLength = bytes.length;
  }
}

/**
 * Read an index file written by writeIndexFile. Never throws for a bad file: a missing, foreign, stale,
 * truncated or corrupt file comes back as `{ rejected: reason }` so the caller rebuilds it. O(N + E) for the
 * invariant checks; the sections land in a few big buffers (one per GiB) that the columns view without copying.
 */
export async function readIndexFile(path: string, expectedSource: ExpectedSource, options: ReadIndexOptions = {}): Promise<IndexReadResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { rejected: code === 'ENOENT' ? `no index file at ${path}` : `cannot open index file ${path} (${code ?? String(error)})` };
  }
  try {
    return await readOpened(handle, path, expectedSource, {
      segmentBytes: Math.max(1, options.segmentBytes ?? defaultSegmentBytes),
      chunkBytes: Math.max(1, options.chunkBytes ?? defaultChunkBytes),
    });
  } catch (error) {
    // Allocation failures and I/O errors on a hostile or vanishing file are still only a reason to rebuild.
    return { rejected: `cannot read index file ${path}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await handle.close().catch(() => {});
  }
}

async function readOpened(handle: FileHandle, path: string, expected: ExpectedSource, sizes: Required<ReadIndexOptions>): Promise<IndexReadResult> {
  const reject = (reason: string): IndexReadResult => ({ rejected: `index file ${path}: ${reason}` });
  const fileSize = (await handle.stat()).size;
  if (endianness() !== 'LE') return reject('index files are little-endian; this machine is not');
  if (fileSize < preambleByteLength + endMarkerByteLength) return reject(`truncated: ${fileSize} bytes is shorter than the fixed preamble and end marker`);
  const preamble = await readBytes(handle, 0, preambleByteLength);
  for (let i = 0; i < indexMagic.length; i++) if (preamble[i] !== indexMagic[i]) return reject('not a gcsh index file (bad magic)');
  const formatVersion = preamble.readUInt32LE(8);
  const layoutVersion = preamble.readUInt32LE(12);
  if (formatVersion !== indexFormatVersion || layoutVersion !== storeLayoutVersion)
    return reject(`written by another gcsh version (format ${formatVersion}, layout ${layoutVersion}; this gcsh uses ${indexFormatVersion}, ${storeLayoutVersion})`);
  const headerLength = preamble.readUInt32LE(16);
  const headerCrc = preamble.readUInt32LE(20);
  const declaredSize = preamble.readDoubleLE(24);
  if (declaredSize !== fileSize)
    return reject(fileSize < declaredSize ? `truncated: ${fileSize} bytes, expected ${declaredSize}` : `size is ${fileSize} bytes, expected ${declaredSize}`);
  if (headerLength > maxHeaderByteLength || preambleByteLength + headerLength > fileSize - endMarkerByteLength) return reject(`header length ${headerLength} is out of bounds`);
  const headerBytes = await readBytes(handle, preambleByteLength, headerLength);
  if (crc32(headerBytes) !== headerCrc) return reject('header checksum mismatch (corrupt header)');
  const end = await readBytes(handle, fileSize - endMarkerByteLength, endMarkerByteLength);
  for (let i = 0; i < indexEndMagic.length; i++) if (end[i] !== indexEndMagic[i]) return reject('end marker missing (incomplete write)');
  if (end.readUInt32LE(8) !== headerCrc) return reject('end marker does not belong to this header');
  const header = parseIndexHeader(headerBytes);
  if (typeof header === 'string') return reject(header);
  if (header.fileByteLength !== fileSize) return reject('header file length disagrees with the preamble');
  const stale = staleness(header.source, expected);
  if (stale !== null) return reject(`stale: ${stale}`);
  const sections = checkSectionTable(header, alignTo8(preambleByteLength + headerLength), fileSize - endMarkerByteLength);
  if (typeof sections === 'string') return reject(sections);
  const views = await readSections(handle, [...sections.values()], sizes);
  if (typeof views === 'string') return reject(views);
  const classOffsets = checkStringOffsets('class name', views.get('classNameOffsets') as Float64Array, header.derived.classCount, header.derived.classNameByteLength);
  if (classOffsets !== null) return reject(`corrupt: ${classOffsets}`);
  const { store, derived } = assembleFromViews(header, views);
  const violation = findIndexInvariantViolation(store, derived);
  if (violation !== null) return reject(`corrupt: ${violation}`);
  return { store, derived };
}

function staleness(source: StoreSource, expected: ExpectedSource): string | null {
  if (resolve(source.path) !== resolve(expected.path)) return `built from ${source.path}, not ${expected.path}`;
  if (source.byteSize !== expected.byteSize) return `snapshot size changed (${source.byteSize} → ${expected.byteSize} bytes)`;
  if (source.mtimeMs !== expected.mtimeMs) return `snapshot modified since indexing (mtime ${source.mtimeMs} → ${expected.mtimeMs})`;
  return null;
}

async function readBytes(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(length);
  const filled = await readInto(handle, buffer, position, defaultChunkBytes);
  if (filled < length) throw new Error(`file ended at byte ${position + filled}, expected ${position + length}`);
  return buffer;
}

/**
 * Fill `buffer` from `position`, returning how many bytes were read (fewer only at end of file). Large ranges are
 * read as several chunks in flight at once: the cost is mostly page faults on fresh memory plus the copy out of
 * the page cache, and libuv's thread pool spreads that over the cores (about 1.6× faster on two cores).
 */
async function readInto(handle: FileHandle, buffer: Uint8Array, position: number, chunkBytes: number): Promise<number> {
  const chunkCount = Math.ceil(buffer.length / chunkBytes);
  const filled = new Array<number>(chunkCount).fill(0);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunkCount) {
      const chunk = next++;
      const start = chunk * chunkBytes;
      const end = Math.min(buffer.length, start + chunkBytes);
      let done = 0;
      while (start + done < end) {
        const { bytesRead } = await handle.read(buffer, start + done, end - start - done, position + start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      filled[chunk] = done;
    }
  };
  await Promise.all(Array.from({ length: Math.min(readsInFlight, chunkCount) }, worker));
  let total = 0;
  for (let chunk = 0; chunk < chunkCount; chunk++) {
    total += filled[chunk]!;
    if (filled[chunk]! < Math.min(chunkBytes, buffer.length - chunk * chunkBytes)) break;
  }
  return total;
}

/**
 * Read the sections into as few buffers as possible: consecutive sections share a buffer up to segmentBytes, so a
 * typical file is one read; beyond that (or for a single section over the limit) each group gets its own buffer.
 * Sections start at multiples of 8 in the file and each buffer starts at a section, so every view is aligned.
 */
async function readSections(handle: FileHandle, entries: SectionEntry[], sizes: Required<ReadIndexOptions>): Promise<Map<string, TypedColumn> | string> {
  const segmentBytes = sizes.segmentBytes;
  const views = new Map<string, TypedColumn>();
  const ordered = entries.filter((entry) => entry.byteLength > 0).sort((a, b) => a.offset - b.offset);
  for (const entry of entries) if (entry.byteLength === 0) views.set(entry.name, new columnConstructors[entry.type](0));
  let index = 0;
  while (index < ordered.length) {
    const start = ordered[index]!.offset;
    let stop = index + 1;
    while (stop < ordered.length && ordered[stop]!.offset + ordered[stop]!.byteLength - start <= segmentBytes) stop++;
    const last = ordered[stop - 1]!;
    const length = last.offset + last.byteLength - start;
    // Uninitialised memory: every byte a view exposes is overwritten by the read (checked below), so zeroing is waste.
    const buffer = length <= Number.MAX_SAFE_INTEGER && length < 2 ** 32 ? Buffer.allocUnsafeSlow(length) : new Uint8Array(length);
    const filled = await readInto(handle, buffer, start, sizes.chunkBytes);
    if (filled < length) return `truncated while reading sections at byte ${start + filled}`;
    for (let k = index; k < stop; k++) {
      const entry = ordered[k]!;
      const type: SectionElementType = entry.type;
      const elementSize = columnConstructors[type].BYTES_PER_ELEMENT;
      views.set(entry.name, new columnConstructors[type](buffer.buffer, buffer.byteOffset + entry.offset - start, entry.byteLength / elementSize));
    }
    index = stop;
  }
  return views;
}

function assembleFromViews(header: IndexHeader, views: Map<string, TypedColumn>): { store: GraphStore; derived: DerivedIndexes } {
  const column = <T extends TypedColumn>(name: string): T => views.get(name) as T;
  const store: GraphStore = {
    language: header.language,
    source: { ...header.source },
    nodeCount: header.nodeCount,
    edgeCount: header.edgeCount,
    rootOrdinal: header.rootOrdinal,
    strings: new StringTable(column('stringBytes'), column('stringOffsets'), header.stringCount),
    nodeKindNames: header.nodeKindNames,
    edgeKindNames: header.edgeKindNames,
    nodeKind: column('nodeKind'),
    nodeName: column('nodeName'),
    nodeId: column('nodeId'),
    selfSize: column('selfSize'),
    firstOutEdge: column('firstOutEdge'),
    edgeKindAndName: column('edgeKindAndName'),
    edgeNameOverflow: { edges: column('edgeNameOverflowEdges'), names: column('edgeNameOverflowNames') },
    edgeTarget: column('edgeTarget'),
    firstInEdge: column('firstInEdge'),
    inEdgeOrdinal: column('inEdgeOrdinal'),
    edgeSourceBlocks: buildEdgeSourceBlocks(column('firstOutEdge')),
    v8: header.v8
      ? { extraNativeBytes: header.v8.extraNativeBytes, hasTraceNodeIds: header.v8.hasTraceNodeIds, detachedness: header.v8.hasDetachedness ? column<Uint8Array>('v8Detachedness') : null }
      : null,
    python: header.python
      ? {
          refcount: column('pythonRefcount'),
          generation: column('pythonGeneration'),
          flags: column('pythonFlags'),
          repr: column('pythonRepr'),
          pythonVersion: header.python.pythonVersion,
          ...(header.python.gcState ? { gcState: header.python.gcState } : {}),
        }
      : null,
  };
  const derived: DerivedIndexes = {
    distance: column('distance'),
    dominator: column('dominator'),
    retainedSize: column('retainedSize'),
    nodeFlags: column('nodeFlags'),
    classOf: column('classOf'),
    classNames: decodeStringList(column('classNameBytes'), column('classNameOffsets'), header.derived.classCount),
    totalSize: header.derived.totalSize,
    ...(header.derived.hasClassSummary
      ? {
          classSummary: {
            count: column<Float64Array>('classCount'),
            selfSize: column<Float64Array>('classSelfSize'),
            retainedSize: column<Float64Array>('classRetainedSize'),
            distance: column<Int32Array>('classDistance'),
            largest: column<Int32Array>('classLargest'),
          },
        }
      : {}),
  };
  return { store, derived };
}

/** Class names come back as JS strings (DerivedIndexes wants string[]): one decode per class, not per node. */
function decodeStringList(bytes: Uint8Array, offsets: Float64Array, count: number): string[] {
  const table = new StringTable(bytes, offsets, count);
  const names = new Array<string>(count);
  for (let i = 0; i < count; i++) names[i] = table.get(i);
  return names;
}
