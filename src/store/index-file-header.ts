// Layer 1 (store): decode and check the index file's JSON header and section table. The header comes from disk, so
// every field is checked for type and range before any count is used to size or address anything.
import {
  type IndexHeader,
  type SectionEntry,
  type SectionElementType,
  elementByteSize,
  expectedSections,
} from './index-file-layout.js';

const maxUint32 = 0xffff_ffff;

/** Parse header bytes; returns the header, or a description of what is wrong with it. */
export function parseIndexHeader(bytes: Uint8Array): IndexHeader | string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return 'header is not valid UTF-8 JSON';
  }
  const problem = checkHeaderShape(value);
  return problem ?? (value as IndexHeader);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function isStringList(value: unknown, maxLength: number): value is string[] {
  return Array.isArray(value) && value.length <= maxLength && value.every((item) => typeof item === 'string');
}

function checkHeaderShape(value: unknown): string | null {
  if (!isRecord(value)) return 'header is not a JSON object';
  const h = value;
  const source = h.source;
  if (
    !isRecord(source) ||
    typeof source.path !== 'string' ||
    (source.format !== 'heapsnapshot' && source.format !== 'pyheap') ||
    typeof source.byteSize !== 'number' ||
    typeof source.mtimeMs !== 'number'
  )
    return 'header source is malformed';
  if (h.language !== 'v8' && h.language !== 'python') return 'header language is malformed';
  // Ordinals and edge indexes are stored in Uint32 columns, and firstOutEdge has nodeCount + 1 entries.
  if (!isCount(h.nodeCount, maxUint32 - 1)) return 'header nodeCount is malformed';
  if (!isCount(h.edgeCount, maxUint32)) return 'header edgeCount is malformed';
  if (!isCount(h.stringCount, maxUint32) || !isCount(h.stringByteLength)) return 'header string counts are malformed';
  if (!isCount(h.rootOrdinal) || (h.nodeCount > 0 && h.rootOrdinal >= h.nodeCount)) return 'header rootOrdinal is out of range';
  // Kind columns are Uint8, so at most 256 names each.
  if (!isStringList(h.nodeKindNames, 256) || !isStringList(h.edgeKindNames, 256)) return 'header kind names are malformed';
  if (!isCount(h.edgeNameOverflowCount, maxUint32)) return 'header edge name overflow count is malformed';
  if ((h.nodeIdType !== 'u32' && h.nodeIdType !== 'f64') || (h.selfSizeType !== 'u32' && h.selfSizeType !== 'f64')) return 'header node column types are malformed';
  if (h.v8 !== null) {
    const v8 = h.v8;
    if (!isRecord(v8) || typeof v8.extraNativeBytes !== 'number' || typeof v8.hasTraceNodeIds !== 'boolean' || typeof v8.hasDetachedness !== 'boolean')
      return 'header v8 extras are malformed';
  }
  if (h.python !== null && (!isRecord(h.python) || typeof h.python.pythonVersion !== 'string')) return 'header python extras are malformed';
  if (h.python !== null && h.python.gcState !== undefined) {
    const gc = h.python.gcState;
    if (!isRecord(gc) || typeof gc.enabled !== 'boolean' || typeof gc.debug !== 'number' || typeof gc.garbageCount !== 'number' || typeof gc.freezeCount !== 'number')
      return 'header python gc state is malformed';
  }
  const derived = h.derived;
  if (!isRecord(derived) || typeof derived.totalSize !== 'number' || !isCount(derived.classCount, maxUint32) || !isCount(derived.classNameByteLength))
    return 'header derived facts are malformed';
  if (derived.hasClassSummary !== undefined && typeof derived.hasClassSummary !== 'boolean') return 'header derived facts are malformed';
  if (derived.classOfType !== 'u8' && derived.classOfType !== 'u16' && derived.classOfType !== 'u32') return 'header derived facts are malformed';
  if (derived.retainedSizeType !== 'u32' && derived.retainedSizeType !== 'f64') return 'header derived facts are malformed';
  if (!isCount(h.fileByteLength)) return 'header fileByteLength is malformed';
  if (!Array.isArray(h.sections)) return 'header section table is missing';
  for (const entry of h.sections as unknown[]) {
    if (
      !isRecord(entry) ||
      typeof entry.name !== 'string' ||
      typeof entry.type !== 'string' ||
      !Object.hasOwn(elementByteSize, entry.type) ||
      !isCount(entry.offset) ||
      !isCount(entry.byteLength)
    )
      return 'header section table entry is malformed';
  }
  return null;
}

/**
 * Check the section table against what the header's counts require: exactly the expected sections, each of the
 * expected type and byte length, 8-byte aligned, inside [dataStart, dataEnd), and not overlapping one another.
 * Returns the entries keyed by name, or a description of the first problem.
 */
export function checkSectionTable(header: IndexHeader, dataStart: number, dataEnd: number): Map<string, SectionEntry> | string {
  const byName = new Map<string, SectionEntry>(); // per section (a few dozen), never per heap object
  for (const entry of header.sections) {
    if (byName.has(entry.name)) return `section ${entry.name} appears twice`;
    byName.set(entry.name, entry);
  }
  const expected = expectedSections(header);
  if (byName.size !== expected.length) return `section table has ${byName.size} sections, expected ${expected.length}`;
  for (const spec of expected) {
    const entry = byName.get(spec.name);
    if (entry === undefined) return `section ${spec.name} is missing`;
    if (entry.type !== spec.type) return `section ${spec.name} has type ${entry.type}, expected ${spec.type}`;
    const byteLength = spec.count * elementByteSize[spec.type as SectionElementType];
    if (entry.byteLength !== byteLength)
      return `section ${spec.name} is ${entry.byteLength} bytes, expected ${byteLength} for ${spec.count} elements`;
    if (entry.offset % 8 !== 0) return `section ${spec.name} at byte ${entry.offset} is not 8-byte aligned`;
    if (entry.byteLength > 0 && (entry.offset < dataStart || entry.offset + entry.byteLength > dataEnd))
      return `section ${spec.name} (bytes ${entry.offset}..${entry.offset + entry.byteLength}) lies outside the data area`;
  }
  const ordered = [...byName.values()].filter((entry) => entry.byteLength > 0).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    if (ordered[i]!.offset < previous.offset + previous.byteLength) return `sections ${previous.name} and ${ordered[i]!.name} overlap`;
  }
  return byName;
}
