// Layer 2 (formats): read a .pyheap snapshot (gcsh_agent.py) into the same columnar GraphStore as V8 heaps.
// Columns are copied straight from the file's little-endian arrays into typed arrays; nodes are renumbered in id
// order (ascending ids, so growth's id order is the identity), and a synthetic root (ordinal 0) links to the roots.
import { stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { resolve } from 'node:path';
import { BadInputError, GcshError } from '../../base/errors.js';
import { throwIfCancelled, type CancelToken, type ProgressSink } from '../../base/cancel.js';
import { assembleStore } from '../../store/assemble.js';
import type { GraphStore } from '../../store/graph-store.js';
import { PyFlag } from '../../store/graph-store.js';
import { canonicalEdgeKindNames, canonicalNodeKindNames, EdgeKind, NodeKind } from '../../store/kinds.js';
import { StringTableBuilder } from '../../store/string-table.js';
import {
  edgeRecordBytes,
  nodeRecordBytes,
  PyEdgeKind,
  pyEdgeKindCount,
  PyNodeKind,
  pyNodeKindCount,
  storeEdgeKindOf,
  storeNodeKindOf,
  type PyheapHeader,
} from './pyheap-format.js';
import { openSections, type PyheapSection } from './pyheap-sections.js';

export { isPyheap } from './pyheap-format.js';

export interface ReadPyheapOptions {
  progress?: ProgressSink;
  cancel?: CancelToken;
}

/** The file's columns in file (record) order, before renumbering. */
interface RawColumns {
  ids: Float64Array;
  sizes: Float64Array;
  refcounts: Float64Array;
  typeNames: Uint32Array;
  reprs: Uint32Array;
  edgeCounts: Uint32Array;
  flags: Uint16Array;
  generations: Int8Array;
  kinds: Uint8Array;
  edgeTargets: Float64Array;
  edgeNames: Uint32Array;
  edgeKinds: Uint8Array;
  rootIds: number[];
  rootNames: number[];
  nodesRead: number;
  edgesRead: number;
}

/**
 * Read a .pyheap file (plain or gzip) into a GraphStore with `language: 'python'` and `python` columns.
 * Streams the file; O(N log N + E log N). Throws BadInputError (with byte offset) for malformed or truncated files
 * and GcshError('unsupported-format') for anything that is not a .pyheap snapshot. Cancellation throws
 * CancelledError between chunks.
 */
export async function readPyheap(path: string, options: ReadPyheapOptions = {}): Promise<GraphStore> {
  return (await readPyheapWithHeader(path, options)).store;
}

/** readPyheap plus the agent's header (Python version, gc state at dump time, capture facts). */
export async function readPyheapWithHeader(
  path: string,
  options: ReadPyheapOptions = {},
): Promise<{ store: GraphStore; header: PyheapHeader }> {
  if (endianness() !== 'LE') throw new GcshError('unsupported-format', 'reading .pyheap files needs a little-endian machine');
  const absolute = resolve(path);
  const { info, sections } = await openSections(absolute, options);
  const strings = new StringTableBuilder(1024, 1 << 20);
  strings.append(''); // string 0: "none"
  let header: PyheapHeader | null = null;
  let raw: RawColumns | null = null;
  let ended = false;
  let lastOffset = 0;
  for await (const section of sections) {
    lastOffset = section.offset + section.payload.length;
    if (ended) throw new BadInputError(absolute, section.offset - 8, 'end of file after the END section', `a ${section.tag} section`);
    if (header === null) {
      if (section.tag !== 'HEAD') throw new BadInputError(absolute, section.offset - 8, 'the HEAD section first', `a ${section.tag} section`);
      header = parseHeader(absolute, section, info.gzip ? info.fileBytes * 1100 : info.fileBytes);
      raw = allocateRaw(header);
      continue;
    }
    const columns = raw!;
    switch (section.tag) {
      case 'STRS':
        readStrings(absolute, section, strings);
        break;
      case 'NODE':
        readNodes(absolute, section, columns, header, strings.size);
        break;
      case 'EDGE':
        readEdges(absolute, section, columns, header, strings.size);
        break;
      case 'ROOT':
        readRoots(absolute, section, columns, strings.size);
        break;
      case 'END ':
        checkEnd(absolute, section, columns, header);
        ended = true;
        break;
      default:
        break; // sections a newer agent added within the same major version are skipped (docs/pyheap-format.md)
    }
  }
  if (header === null) throw new BadInputError(absolute, lastOffset, 'the HEAD section', 'end of file');
  if (!ended) throw new BadInputError(absolute, lastOffset, 'the END section (the file is truncated)', 'end of file');
  throwIfCancelled(options.cancel);
  options.progress?.('index', 0, 1);
  const fileStat = await stat(absolute);
  const store = buildStore(absolute, raw!, header, strings, { byteSize: fileStat.size, mtimeMs: fileStat.mtimeMs }, options.cancel);
  options.progress?.('index', 1, 1);
  return { store, header };
}

function parseHeader(path: string, section: PyheapSection, maxUncompressedBytes: number): PyheapHeader {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(section.payload));
  } catch (error) {
    throw new BadInputError(path, section.offset, 'a JSON object in the HEAD section', (error as Error).message);
  }
  const header = value as PyheapHeader;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (typeof value !== 'object' || value === null || header.format !== 'pyheap') {
    throw new BadInputError(path, section.offset, 'a HEAD object with "format": "pyheap"');
  }
  if (!count(header.nodeCount) || !count(header.edgeCount) || typeof header.python?.version !== 'string') {
    throw new BadInputError(path, section.offset, 'HEAD fields nodeCount, edgeCount and python.version');
  }
  // Counts decide allocations, so a corrupt header must not be able to ask for more than the file can hold.
  if (header.nodeCount * nodeRecordBytes + header.edgeCount * edgeRecordBytes > maxUncompressedBytes || header.nodeCount >= 2 ** 31) {
    throw new BadInputError(path, section.offset, 'node and edge counts that fit in the file', `${header.nodeCount} nodes, ${header.edgeCount} edges`);
  }
  return header;
}

function allocateRaw(header: PyheapHeader): RawColumns {
  const n = header.nodeCount;
  const e = header.edgeCount;
  return {
    ids: new Float64Array(n),
    sizes: new Float64Array(n),
    refcounts: new Float64Array(n),
    typeNames: new Uint32Array(n),
    reprs: new Uint32Array(n),
    edgeCounts: new Uint32Array(n),
    flags: new Uint16Array(n),
    generations: new Int8Array(n),
    kinds: new Uint8Array(n),
    edgeTargets: new Float64Array(e),
    edgeNames: new Uint32Array(e),
    edgeKinds: new Uint8Array(e),
    rootIds: [],
    rootNames: [],
    nodesRead: 0,
    edgesRead: 0,
  };
}

function sectionCount(path: string, section: PyheapSection, recordBytes: number): number {
  const payload = section.payload;
  if (payload.length < 4) throw new BadInputError(path, section.offset, `a ${section.tag.trim()} record count`);
  const count = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
  if (4 + count * recordBytes !== payload.length) {
    throw new BadInputError(path, section.offset, `${4 + count * recordBytes} bytes for ${count} ${section.tag.trim()} records`, `${payload.length}`);
  }
  return count;
}

/** Copy `count` elements of `bytesPer` bytes from the payload into `target` starting at element `at`. */
function copyColumn(target: ArrayBufferView, at: number, bytesPer: number, payload: Uint8Array, from: number, count: number): number {
  new Uint8Array(target.buffer, target.byteOffset + at * bytesPer, count * bytesPer).set(payload.subarray(from, from + count * bytesPer));
  return from + count * bytesPer;
}

/** STRS: u32 count, u32 byte length per string, then the UTF-8 bytes back to back. */
function readStrings(path: string, section: PyheapSection, strings: StringTableBuilder): void {
  const payload = section.payload;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  if (payload.length < 4) throw new BadInputError(path, section.offset, 'a STRS string count');
  const count = view.getUint32(0, true);
  if (4 + 4 * count > payload.length) throw new BadInputError(path, section.offset, `${count} string lengths`);
  let position = 4 + 4 * count;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(4 + 4 * i, true);
    if (position + length > payload.length) throw new BadInputError(path, section.offset + position, `${length} bytes of string ${i}`);
    strings.appendBytes(payload, position, position + length);
    position += length;
  }
  if (position !== payload.length) throw new BadInputError(path, section.offset + position, 'the end of the STRS section');
}

function readNodes(path: string, section: PyheapSection, raw: RawColumns, header: PyheapHeader, stringCount: number): void {
  const count = sectionCount(path, section, nodeRecordBytes);
  const at = raw.nodesRead;
  if (at + count > header.nodeCount) throw new BadInputError(path, section.offset, `at most ${header.nodeCount} nodes (HEAD nodeCount)`);
  const p = section.payload;
  let from = 4;
  from = copyColumn(raw.ids, at, 8, p, from, count);
  from = copyColumn(raw.sizes, at, 8, p, from, count);
  from = copyColumn(raw.refcounts, at, 8, p, from, count);
  from = copyColumn(raw.typeNames, at, 4, p, from, count);
  from = copyColumn(raw.reprs, at, 4, p, from, count);
  from = copyColumn(raw.edgeCounts, at, 4, p, from, count);
  from = copyColumn(raw.flags, at, 2, p, from, count);
  from = copyColumn(raw.generations, at, 1, p, from, count);
  copyColumn(raw.kinds, at, 1, p, from, count);
  for (let i = at; i < at + count; i++) {
    const id = raw.ids[i]!;
    if (!(id > 0 && id <= Number.MAX_SAFE_INTEGER && Number.isInteger(id))) {
      throw new BadInputError(path, section.offset + 4 + (i - at) * 8, 'a positive integer object id', String(id));
    }
    if (raw.typeNames[i]! >= stringCount || raw.reprs[i]! >= stringCount) {
      throw new BadInputError(path, section.offset, `string indexes below ${stringCount} (strings come before the nodes using them)`);
    }
    if (raw.kinds[i]! >= pyNodeKindCount) throw new BadInputError(path, section.offset, `node kinds below ${pyNodeKindCount}`, String(raw.kinds[i]));
  }
  raw.nodesRead += count;
}

function readEdges(path: string, section: PyheapSection, raw: RawColumns, header: PyheapHeader, stringCount: number): void {
  const count = sectionCount(path, section, edgeRecordBytes);
  const at = raw.edgesRead;
  if (at + count > header.edgeCount) throw new BadInputError(path, section.offset, `at most ${header.edgeCount} edges (HEAD edgeCount)`);
  const p = section.payload;
  let from = 4;
  from = copyColumn(raw.edgeTargets, at, 8, p, from, count);
  from = copyColumn(raw.edgeNames, at, 4, p, from, count);
  copyColumn(raw.edgeKinds, at, 1, p, from, count);
  const kinds = raw.edgeKinds;
  const names = raw.edgeNames;
  for (let e = at; e < at + count; e++) {
    const kind = kinds[e]!;
    if (kind >= pyEdgeKindCount) throw new BadInputError(path, section.offset, `edge kinds below ${pyEdgeKindCount}`, String(kind));
    if (kind !== PyEdgeKind.element && names[e]! >= stringCount) {
      throw new BadInputError(path, section.offset, `edge name string indexes below ${stringCount}`, String(names[e]));
    }
  }
  raw.edgesRead += count;
}

function readRoots(path: string, section: PyheapSection, raw: RawColumns, stringCount: number): void {
  const count = sectionCount(path, section, 12);
  const p = section.payload;
  const ids = new Float64Array(count);
  const names = new Uint32Array(count);
  copyColumn(names, 0, 4, p, copyColumn(ids, 0, 8, p, 4, count), count);
  for (let i = 0; i < count; i++) {
    if (names[i]! >= stringCount) throw new BadInputError(path, section.offset, `root name string indexes below ${stringCount}`);
    raw.rootIds.push(ids[i]!);
    raw.rootNames.push(names[i]!);
  }
}

function checkEnd(path: string, section: PyheapSection, raw: RawColumns, header: PyheapHeader): void {
  if (section.payload.length !== 16) throw new BadInputError(path, section.offset, '16 bytes in the END section');
  const view = new DataView(section.payload.buffer, section.payload.byteOffset, 16);
  const nodes = view.getFloat64(0, true);
  const edges = view.getFloat64(8, true);
  if (nodes !== header.nodeCount || edges !== header.edgeCount || raw.nodesRead !== nodes || raw.edgesRead !== edges) {
    throw new BadInputError(
      path,
      section.offset,
      `${header.nodeCount} nodes and ${header.edgeCount} edges (HEAD) before END`,
      `${raw.nodesRead} nodes and ${raw.edgesRead} edges; END says ${nodes} and ${edges}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < raw.nodesRead; i++) sum += raw.edgeCounts[i]!;
  if (sum !== raw.edgesRead) throw new BadInputError(path, section.offset, `per-node edge counts summing to ${raw.edgesRead}`, String(sum));
}

/** Index of the first element >= value in an ascending array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function buildStore(
  path: string,
  raw: RawColumns,
  header: PyheapHeader,
  strings: StringTableBuilder,
  file: { byteSize: number; mtimeMs: number },
  cancel: CancelToken | undefined,
): GraphStore {
  const recordCount = raw.nodesRead;
  const nodeCount = recordCount + 1; // ordinal 0 is the synthetic root
  // Ordinal = 1 + rank of the id, so nodeId ascends and edge targets are found by binary search.
  const sortedIds = raw.ids.slice().sort();
  for (let k = 1; k < recordCount; k++) {
    if (sortedIds[k] === sortedIds[k - 1]) throw new BadInputError(path, 0, 'unique object ids', `id ${sortedIds[k]} twice`);
  }
  const ordinalOf = new Uint32Array(recordCount);
  for (let r = 0; r < recordCount; r++) ordinalOf[r] = lowerBound(sortedIds, raw.ids[r]!) + 1;
  throwIfCancelled(cancel);

  const edgeCountIn = raw.edgesRead;
  const targetOrdinal = new Int32Array(edgeCountIn);
  const targets = raw.edgeTargets;
  for (let e = 0; e < edgeCountIn; e++) {
    const k = lowerBound(sortedIds, targets[e]!);
    // An edge to an object outside the snapshot (created mid-capture by another thread) is dropped.
    targetOrdinal[e] = k < recordCount && sortedIds[k] === targets[e] ? k + 1 : -1;
  }
  throwIfCancelled(cancel);

  // Node columns in ordinal order.
  const nodeKind = new Uint8Array(nodeCount);
  const nodeName = new Uint32Array(nodeCount);
  const nodeId = new Float64Array(nodeCount);
  const selfSize = new Float64Array(nodeCount);
  const refcount = new Float64Array(nodeCount);
  const generation = new Int8Array(nodeCount);
  const flags = new Uint16Array(nodeCount);
  const repr = new Uint32Array(nodeCount);
  const rootName = strings.append('(python roots)');
  nodeKind[0] = NodeKind.synthetic;
  nodeName[0] = rootName;
  generation[0] = -1;
  for (let r = 0; r < recordCount; r++) {
    const o = ordinalOf[r]!;
    nodeKind[o] = storeNodeKindOf[raw.kinds[r]!]!;
    nodeName[o] = raw.typeNames[r]!;
    nodeId[o] = raw.ids[r]!;
    selfSize[o] = raw.sizes[r]!;
    refcount[o] = raw.refcounts[r]!;
    generation[o] = raw.generations[r]!;
    flags[o] = raw.flags[r]!;
    repr[o] = raw.reprs[r]!;
  }

  // Roots: what the agent named, then tracked objects whose refcount tracked referrers do not explain.
  const firstEdgeOfRecord = new Float64Array(recordCount + 1);
  for (let r = 0; r < recordCount; r++) firstEdgeOfRecord[r + 1] = firstEdgeOfRecord[r]! + raw.edgeCounts[r]!;
  const external = unexplainedReferences(raw, targetOrdinal, refcount, flags);
  const rootTargets: number[] = [];
  const rootEdgeNames: number[] = [];
  for (let i = 0; i < raw.rootIds.length; i++) {
    const k = lowerBound(sortedIds, raw.rootIds[i]!);
    if (k < recordCount && sortedIds[k] === raw.rootIds[i]) {
      rootTargets.push(k + 1);
      rootEdgeNames.push(raw.rootNames[i]!);
      flags[k + 1]! |= PyFlag.root;
    }
  }
  const externalName = strings.append('(held from outside the tracked heap)');
  for (let o = 1; o < nodeCount; o++) {
    if (external[o]! > 0 && (flags[o]! & PyFlag.root) === 0) {
      flags[o]! |= PyFlag.root;
      rootTargets.push(o);
      rootEdgeNames.push(externalName);
    }
  }

  // Forward CSR in ordinal order: the root's edges first, then each record's edges moved to its ordinal.
  const outCount = new Uint32Array(nodeCount + 1);
  outCount[0] = rootTargets.length;
  for (let r = 0; r < recordCount; r++) {
    let kept = 0;
    for (let e = firstEdgeOfRecord[r]!; e < firstEdgeOfRecord[r + 1]!; e++) if (targetOrdinal[e]! >= 0) kept++;
    outCount[ordinalOf[r]!] = kept;
  }
  const firstOutEdge = new Uint32Array(nodeCount + 1);
  for (let o = 0; o < nodeCount; o++) firstOutEdge[o + 1] = firstOutEdge[o]! + outCount[o]!;
  const edgeCount = firstOutEdge[nodeCount]!;
  const edgeKind = new Uint8Array(edgeCount);
  const edgeName = new Uint32Array(edgeCount);
  const edgeTarget = new Uint32Array(edgeCount);
  for (let i = 0; i < rootTargets.length; i++) {
    edgeKind[i] = EdgeKind.property;
    edgeName[i] = rootEdgeNames[i]!;
    edgeTarget[i] = rootTargets[i]!;
  }
  for (let r = 0; r < recordCount; r++) {
    let slot = firstOutEdge[ordinalOf[r]!]!;
    // Lists and tuples leave their element edges unlabelled, sets their members. CPython visits list and tuple items
    // from the last to the first (and a subclass's __dict__ and class before them), so the index of an unlabelled
    // element edge is its distance from the end of the node's edges; their edges are stored back to front, so
    // that they list in index order.
    const nodeKind = raw.kinds[r]!;
    const implicit = nodeKind === PyNodeKind.list || nodeKind === PyNodeKind.tuple ? EdgeKind.element : nodeKind === PyNodeKind.set ? EdgeKind.member : -1;
    const first = firstEdgeOfRecord[r]!;
    const last = firstEdgeOfRecord[r + 1]! - 1;
    const backwards = implicit === EdgeKind.element;
    for (let k = first; k <= last; k++) {
      const e = backwards ? first + last - k : k;
      const target = targetOrdinal[e]!;
      if (target < 0) continue;
      const kind = raw.edgeKinds[e]!;
      if (implicit >= 0 && kind === PyEdgeKind.internal && raw.edgeNames[e] === 0) {
        edgeKind[slot] = implicit;
        edgeName[slot] = implicit === EdgeKind.element ? last - e : 0;
      } else {
        edgeKind[slot] = storeEdgeKindOf[kind]!;
        edgeName[slot] = kind === PyEdgeKind.member || kind === PyEdgeKind.weak ? 0 : raw.edgeNames[e]!;
      }
      edgeTarget[slot] = target;
      slot++;
    }
  }
  throwIfCancelled(cancel);

  return assembleStore({
    language: 'python',
    source: { path, format: 'pyheap', byteSize: file.byteSize, mtimeMs: file.mtimeMs },
    rootOrdinal: 0,
    strings: strings.build(),
    nodeKindNames: canonicalNodeKindNames,
    edgeKindNames: canonicalEdgeKindNames,
    nodeKind,
    nodeName,
    nodeId,
    selfSize,
    firstOutEdge,
    edgeKind,
    edgeName,
    edgeTarget,
    v8: null,
    python: {
      refcount,
      generation,
      flags,
      repr,
      pythonVersion: header.python.version,
      ...(header.gc ? { gcState: { enabled: header.gc.enabled, debug: header.gc.debug, garbageCount: header.gc.garbageCount, freezeCount: header.gc.freezeCount } } : {}),
    },
  });
}

/**
 * Per ordinal: calibrated refcount minus the references of every node in the snapshot (tracked objects, and running
 * frames, which are untracked nodes with edges); > 0 means something outside the snapshot holds the object (C
 * globals, extension objects), which makes it a root. Weak edges are not references. Untracked nodes get 0.
 * (The garbage analysis does its own, collector-exact count over tracked objects only.)
 */
function unexplainedReferences(
  raw: RawColumns,
  targetOrdinal: Int32Array,
  refcount: Float64Array,
  flags: Uint16Array,
): Float64Array {
  const gcRefs = new Float64Array(refcount.length);
  for (let o = 1; o < refcount.length; o++) if (flags[o]! & PyFlag.gcTracked) gcRefs[o] = refcount[o]!;
  let e = 0;
  for (let r = 0; r < raw.nodesRead; r++) {
    const end = e + raw.edgeCounts[r]!;
    for (; e < end; e++) {
      const target = targetOrdinal[e]!;
      if (target >= 0 && raw.edgeKinds[e] !== PyEdgeKind.weak && (flags[target]! & PyFlag.gcTracked) !== 0) gcRefs[target]!--;
    }
  }
  return gcRefs;
}
