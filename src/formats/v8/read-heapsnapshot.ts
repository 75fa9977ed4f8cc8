// Layer 2 (formats): the public entry points of the V8 `.heapsnapshot` reader: a file path (plain or gzip) or any
// byte stream (live CDP capture) in, an assembled GraphStore out. The parsing itself is in snapshot-parser.ts.
import { resolve } from 'node:path';
import { BadInputError, GcshError } from '../../base/errors.js';
import { throwIfCancelled, type CancelToken, type ProgressSink } from '../../base/cancel.js';
import { assembleStore, type ForwardColumns } from '../../store/assemble.js';
import type { GraphStore, StoreSource } from '../../store/graph-store.js';
import { openFileChunks } from '../read-file-chunks.js';
import { EdgeSplit, EdgeSplitRestart } from './edge-split.js';
import { HeapSnapshotParser, type FinalEdges, type ParsedSnapshot, type ParserOptions } from './snapshot-parser.js';

export interface ReadHeapSnapshotOptions {
  /** Called as `progress('reading', bytesDone, totalBytes)` about every 16 MiB; totalBytes 0 when unknown. */
  progress?: ProgressSink;
  /** Checked once per chunk; a cancelled read throws CancelledError. */
  cancel?: CancelToken;
  /** Allocate the node and edge columns on SharedArrayBuffers (for worker threads). */
  shared?: boolean;
  /** Parse the edges from both ends with this helper (plain files with `shared` only; see edge-split.ts). */
  edgeSplit?: EdgeSplit;
  /** See ParserOptions.onEdgesFinal (only with `edgeSplit`). */
  onEdgesFinal?: (edges: FinalEdges) => void;
}

const progressStepBytes = 16 << 20;

/**
 * Read a `.heapsnapshot` or `.heapsnapshot.gz` file (gzip is detected from its magic bytes). Streams the file in
 * chunks, so files beyond 4 GiB, 2^24 nodes or V8's maximum string length load. O(file size).
 * Throws BadInputError (with a byte offset; of the decompressed data for gzip) on malformed or truncated input,
 * GcshError('unsupported-format') when the file is not a heap snapshot, GcshError('unreadable-file') on I/O
 * errors, and CancelledError when `options.cancel` fires.
 */
export async function readHeapSnapshot(path: string, options: ReadHeapSnapshotOptions = {}): Promise<GraphStore> {
  // The parser's checkSnapshot already proved every invariant assembleStore would re-check.
  return assembleStore(await readHeapSnapshotColumns(path, options), { validated: true });
}

/**
 * readHeapSnapshot without the assembly: the checked forward columns, for a caller that packs the edges and
 * derives the reverse CSR itself (the parallel load pipeline does both on a worker thread).
 */
export async function readHeapSnapshotColumns(path: string, options: ReadHeapSnapshotOptions = {}): Promise<ForwardColumns> {
  try {
    return await readColumnsOnce(path, options, options.edgeSplit);
  } catch (error) {
    // The edge split could not be trusted (see edge-split.ts): read again, all on this thread.
    if (!(error instanceof EdgeSplitRestart)) throw error;
    return readColumnsOnce(path, options, undefined);
  }
}

async function readColumnsOnce(path: string, options: ReadHeapSnapshotOptions, edgeSplit: EdgeSplit | undefined): Promise<ForwardColumns> {
  const file = await openFileChunks(path);
  try {
    const label = file.gzip ? `${path} (decompressed)` : path;
    const source: StoreSource = { path: resolve(path), format: 'heapsnapshot', byteSize: file.byteSize, mtimeMs: file.mtimeMs };
    // A helper reads the edges' tail by offset, which a gzip stream cannot offer.
    const split = file.gzip || options.shared !== true ? undefined : edgeSplit;
    const parser = new HeapSnapshotParser(label, file.gzip ? 0 : file.byteSize, parserOptions(options, split));
    await feedAll(parser, file.chunks, options, () => file.fileBytesRead, file.byteSize, file.gzip);
    return columnsOf(parser.finish(), source);
  } finally {
    await file.close();
  }
}

function parserOptions(options: ReadHeapSnapshotOptions, edgeSplit?: EdgeSplit): ParserOptions {
  const onEdgesFinal = edgeSplit !== undefined ? options.onEdgesFinal : undefined;
  return { shared: options.shared === true, ...(edgeSplit ? { edgeSplit } : {}), ...(onEdgesFinal ? { onEdgesFinal } : {}) };
}

/**
 * The same reader fed by any byte stream, e.g. CDP `HeapProfiler.addHeapSnapshotChunk` data (encode string chunks
 * as UTF-8). Chunks may split anywhere, even inside a number, string or escape. `source.path` labels errors;
 * `source.byteSize`, when non-zero, is used as the progress total.
 */
export async function readHeapSnapshotFromChunks(
  chunks: AsyncIterable<Uint8Array>,
  source: StoreSource,
  options: ReadHeapSnapshotOptions = {},
): Promise<GraphStore> {
  // byteSize, when known, bounds allocations and sizes the string table; a wrong value only costs regrowth.
  const parser = new HeapSnapshotParser(source.path, source.byteSize > 0 ? source.byteSize : 0, parserOptions(options));
  await feedAll(parser, chunks, options, () => parser.offset, source.byteSize, false);
  return assembleStore(columnsOf(parser.finish(), source), { validated: true });
}

async function feedAll(
  parser: HeapSnapshotParser,
  chunks: AsyncIterable<Uint8Array>,
  options: ReadHeapSnapshotOptions,
  position: () => number,
  totalBytes: number,
  gzip: boolean,
): Promise<void> {
  const progress = options.progress;
  let nextProgress = 0;
  progress?.('reading', 0, totalBytes);
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      throwIfCancelled(options.cancel);
      let step: IteratorResult<Uint8Array>;
      try {
        step = await iterator.next();
      } catch (error) {
        throw gzip ? gzipError(parser, error) : error;
      }
      if (step.done) break;
      parser.feed(step.value);
      if (progress !== undefined && position() >= nextProgress) {
        progress('reading', position(), totalBytes);
        nextProgress = position() + progressStepBytes;
      }
    }
  } catch (error) {
    // Stop the source (closes streams and pending reads) before reporting.
    await iterator.return?.();
    throw error;
  }
  throwIfCancelled(options.cancel);
  progress?.('reading', position(), totalBytes);
}

/** zlib reports corrupt or truncated gzip data as plain errors; say where in the decompressed data it happened. */
function gzipError(parser: HeapSnapshotParser, error: unknown): unknown {
  if (error instanceof GcshError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const truncated = (error as Error).message.includes('unexpected end');
    return new BadInputError(parser.file, parser.offset, truncated ? 'more gzip data' : 'valid gzip data', truncated ? 'end of file' : (error as Error).message);
  }
  return error;
}

function columnsOf(parsed: ParsedSnapshot, source: StoreSource): ForwardColumns {
  const { layout, nodes, edges } = parsed;
  return {
    language: 'v8',
    source,
    rootOrdinal: parsed.rootOrdinal,
    strings: parsed.strings,
    nodeKindNames: layout.nodeKindNames,
    edgeKindNames: layout.edgeKindNames,
    nodeKind: nodes.nodeKind,
    nodeName: nodes.nodeName,
    nodeId: nodes.nodeId,
    selfSize: nodes.selfSize,
    firstOutEdge: nodes.firstOutEdge,
    edgeKind: edges.edgeKind,
    edgeName: edges.edgeName,
    edgeTarget: edges.edgeTarget,
    v8: { extraNativeBytes: layout.extraNativeBytes, detachedness: nodes.detachedness, hasTraceNodeIds: layout.nodeTraceNodeId >= 0 },
    python: null,
  };
}
