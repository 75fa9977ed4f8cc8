// Layer 1 (store): the byte layout of the persisted index file (docs/formats/index-file.md): fixed preamble, JSON
// header with the section table, 8-byte-aligned typed-array sections, end marker. Shared by writer and reader.
import type { HeapLanguage, PythonGcState, StoreSource } from './graph-store.js';

/** First 8 bytes of every index file. */
export const indexMagic = Uint8Array.from([0x47, 0x43, 0x53, 0x48, 0x49, 0x44, 0x58, 0x00]); // "GCSHIDX\0"
/** Last 8 bytes' prefix: the end marker proves the writer finished (a crash mid-write leaves none). */
export const indexEndMagic = Uint8Array.from([0x47, 0x43, 0x53, 0x48, 0x45, 0x4e, 0x44, 0x00]); // "GCSHEND\0"

/** Container format: preamble, header encoding, section rules. Bump when the reader could misparse a file. */
export const indexFormatVersion = 1;
/**
 * Meaning of the columns (kind numbering, flag bits, derived semantics such as DevTools' distance rules). Bump
 * whenever a store or derived column would mean something different, so old caches are rebuilt, not misread.
 */
export const storeLayoutVersion = 5; // 2: class summary sections; 3: DevTools' interface proportion rule; 4: Python gc state; 5: no retainer sources or id index, Uint32 node ids, self and retained sizes when they fit, narrow class column, edge kinds packed into names (memory)

/** magic(8) formatVersion(u32) layoutVersion(u32) headerByteLength(u32) headerCrc32(u32) fileByteLength(f64). */
export const preambleByteLength = 32;
/** endMagic(8) headerCrc32(u32) reserved(u32). */
export const endMarkerByteLength = 16;
/** A header beyond this is hostile: real headers are a few kB (kind names and the section table). */
export const maxHeaderByteLength = 16 * 1024 * 1024;

export type SectionElementType = 'u8' | 'i8' | 'u16' | 'u32' | 'i32' | 'f64';

export const elementByteSize: Readonly<Record<SectionElementType, number>> = { u8: 1, i8: 1, u16: 2, u32: 4, i32: 4, f64: 8 };

export interface SectionEntry {
  readonly name: string;
  readonly type: SectionElementType;
  /** Absolute byte offset in the file; a multiple of 8 so the bytes can be viewed as any typed array in place. */
  readonly offset: number;
  readonly byteLength: number;
}

/** The JSON header. Everything large lives in sections; the header holds counts, names and small scalars. */
export interface IndexHeader {
  readonly formatVersion: number;
  readonly layoutVersion: number;
  /** The snapshot the index was built from; a different path, size or mtime makes the index stale. */
  readonly source: StoreSource;
  readonly language: HeapLanguage;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly rootOrdinal: number;
  readonly stringCount: number;
  readonly stringByteLength: number;
  readonly nodeKindNames: readonly string[];
  readonly edgeKindNames: readonly string[];
  /** Edge names too long for 28 bits, kept in a side table (edge-packing.ts). */
  readonly edgeNameOverflowCount: number;
  /** Element types of the two node number columns (see NodeNumberColumn). */
  readonly nodeIdType: 'u32' | 'f64';
  readonly selfSizeType: 'u32' | 'f64';
  readonly v8: { readonly extraNativeBytes: number; readonly hasTraceNodeIds: boolean; readonly hasDetachedness: boolean } | null;
  readonly python: { readonly pythonVersion: string; readonly gcState?: PythonGcState } | null;
  readonly derived: {
    readonly totalSize: number;
    readonly classCount: number;
    readonly classNameByteLength: number;
    readonly hasClassSummary?: boolean;
    /** Element type of the retainedSize column (see DerivedIndexes.retainedSize). */
    readonly retainedSizeType: 'u32' | 'f64';
    /** Element type of the classOf column (see DerivedIndexes.classOf). */
    readonly classOfType: 'u8' | 'u16' | 'u32';
  };
  readonly fileByteLength: number;
  readonly sections: readonly SectionEntry[];
}

export interface SectionSpec {
  readonly name: string;
  readonly type: SectionElementType;
  /** Element count (not bytes). */
  readonly count: number;
}

/** The sections a file with this header must contain, in the order the writer lays them out. */
export function expectedSections(header: Omit<IndexHeader, 'sections' | 'fileByteLength'>): SectionSpec[] {
  const n = header.nodeCount;
  const e = header.edgeCount;
  const specs: SectionSpec[] = [
    // Largest and most-used first does not matter for reading (sections are addressed by offset); this order
    // groups node columns, edge columns, reverse CSR, id index, strings, language extras, derived columns.
    { name: 'nodeKind', type: 'u8', count: n },
    { name: 'nodeName', type: 'u32', count: n },
    { name: 'nodeId', type: header.nodeIdType, count: n },
    { name: 'selfSize', type: header.selfSizeType, count: n },
    { name: 'firstOutEdge', type: 'u32', count: n + 1 },
    { name: 'edgeKindAndName', type: 'u32', count: e },
    { name: 'edgeNameOverflowEdges', type: 'u32', count: header.edgeNameOverflowCount },
    { name: 'edgeNameOverflowNames', type: 'f64', count: header.edgeNameOverflowCount },
    { name: 'edgeTarget', type: 'u32', count: e },
    { name: 'firstInEdge', type: 'u32', count: n + 1 },
    { name: 'inEdgeOrdinal', type: 'u32', count: e },
    { name: 'stringBytes', type: 'u8', count: header.stringByteLength },
    { name: 'stringOffsets', type: 'f64', count: header.stringCount + 1 },
  ];
  if (header.v8?.hasDetachedness) specs.push({ name: 'v8Detachedness', type: 'u8', count: n });
  if (header.python) {
    specs.push(
      { name: 'pythonRefcount', type: 'f64', count: n },
      { name: 'pythonGeneration', type: 'i8', count: n },
      { name: 'pythonFlags', type: 'u16', count: n },
      { name: 'pythonRepr', type: 'u32', count: n },
    );
  }
  specs.push(
    { name: 'distance', type: 'i32', count: n },
    { name: 'dominator', type: 'u32', count: n },
    { name: 'retainedSize', type: header.derived.retainedSizeType, count: n },
    { name: 'nodeFlags', type: 'u8', count: n },
    { name: 'classOf', type: header.derived.classOfType, count: n },
    { name: 'classNameBytes', type: 'u8', count: header.derived.classNameByteLength },
    { name: 'classNameOffsets', type: 'f64', count: header.derived.classCount + 1 },
  );
  if (header.derived.hasClassSummary) {
    const c = header.derived.classCount;
    specs.push(
      { name: 'classCount', type: 'f64', count: c },
      { name: 'classSelfSize', type: 'f64', count: c },
      { name: 'classRetainedSize', type: 'f64', count: c },
      { name: 'classDistance', type: 'i32', count: c },
      { name: 'classLargest', type: 'i32', count: c },
    );
  }
  return specs;
}

export function alignTo8(offset: number): number {
  return Math.ceil(offset / 8) * 8;
}

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib) of the header bytes. Own code because zlib.crc32 needs Node 20.15+. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
