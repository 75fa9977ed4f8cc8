// Layer 5 (commands): the worker-thread half of the parallel V8 load (parallel-load.ts is the main-thread half).
// It reads the reader's columns from SharedArrayBuffers and computes what the main thread's dominator work does
// not need: the tail of the edges and then the packed kinds and the reverse CSR (during the read), shallow-size
// reattribution and classes (during the dominators), and distances (after them).
import { closeSync, openSync, readSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { computeClassNames } from '../analyses/class-names.js';
import { computeV8Distances } from '../analyses/distances.js';
import { EphemeronNames } from '../analyses/ephemeron-names.js';
import { propagateDomState } from '../analyses/node-flags.js';
import { parseEdgesTail, type EdgeSplitJob } from '../formats/v8/edge-split.js';
import type { FinalEdges } from '../formats/v8/snapshot-parser.js';
import { reattributeShallowSizes } from '../analyses/shallow-sizes.js';
import type { GraphStore } from '../store/graph-store.js';
import { collectGarbageNow } from '../base/collect-garbage.js';
import { packEdgeKinds } from '../store/edge-packing.js';
import { buildReverseEdges } from '../store/reverse-edges.js';
import { StringTable } from '../store/string-table.js';
import type { FromLoadWorker, ToLoadWorker, WireColumns } from './parallel-load.js';

/** workerData marker, so importing this module elsewhere never starts serving. */
export interface LoadWorkerData {
  readonly gcshLoadWorker: true;
}

function serve(): void {
  const port = parentPort!;
  let analysed: GraphStore | null = null;
  const send = (message: FromLoadWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  port.on('message', (message: ToLoadWorker) => {
    try {
      if (message.type === 'edges') {
        const started = performance.now();
        parseEdgesTailOfFile(message.job);
        send({ type: 'edges', elapsedMs: performance.now() - started });
      } else if (message.type === 'edges-final') {
        packAndReverse(message.edges, message.path, send);
      } else if (message.type === 'analyse') {
        analysed = analyse(message.columns, message.reverseBuilt, send);
      } else {
        // The last job, posted once the main thread's dominators are done (its arrays would otherwise coincide
        // with theirs): then the thread ends. Node delivers every message posted before the 'exit' event.
        const started = performance.now();
        const distance = computeV8Distances(analysed!, undefined, new EphemeronNames(analysed!.strings));
        send({ type: 'distances', distance, elapsedMs: performance.now() - started }, [distance.buffer as ArrayBuffer]);
        send({ type: 'done' });
        port.close();
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  send({ type: 'ready' });
}

/**
 * The worker's share of computeDerived, in the order the main thread needs the results: reverse edges (for
 * Lengauer–Tarjan), shallow sizes (for retained sizes), then classes (for the Summary). Distances are the main
 * thread's, after Lengauer–Tarjan: run here they would hold two node arrays during its memory peak.
 */
function analyse(columns: WireColumns, reverseBuilt: boolean, send: (message: FromLoadWorker, transfer?: ArrayBuffer[]) => void): GraphStore {
  const store = storeOf(columns);
  let started = performance.now();
  if (!reverseBuilt) sendReverse(store.nodeCount, store.firstOutEdge, store.edgeTarget, send);
  started = performance.now();
  // In place on the shared selfSize column: the main thread reads it only after this message.
  reattributeShallowSizes(store);
  send({ type: 'shallow-sizes', elapsedMs: performance.now() - started });
  collectGarbageNow(); // each step's scratch goes before the next allocates (see collect-garbage.ts)
  started = performance.now();
  const { classOf, classNames } = computeClassNames(store, propagateDomState(store));
  send({ type: 'classes', classOf, classNames, elapsedMs: performance.now() - started }, [classOf.buffer as ArrayBuffer]);
  collectGarbageNow();
  return store;
}

/**
 * Work that needs only the final edges, started while the main thread still reads the rest of the file: fold the
 * kinds into the names (in place, on the shared column) and build the retainer CSR.
 */
function packAndReverse(edges: FinalEdges, path: string, send: (message: FromLoadWorker, transfer?: ArrayBuffer[]) => void): void {
  const started = performance.now();
  const overflow = packEdgeKinds(edges.edgeKind, edges.edgeName, edges.edgeKindCount, path);
  send({ type: 'packed', overflow, elapsedMs: performance.now() - started });
  sendReverse(edges.nodeCount, edges.firstOutEdge, edges.edgeTarget, send);
  collectGarbageNow();
}

function sendReverse(nodeCount: number, firstOutEdge: Uint32Array, edgeTarget: Uint32Array, send: (message: FromLoadWorker, transfer?: ArrayBuffer[]) => void): void {
  const started = performance.now();
  const reverse = buildReverseEdges(nodeCount, firstOutEdge, edgeTarget);
  send({ type: 'reverse', reverse, elapsedMs: performance.now() - started }, [
    reverse.firstInEdge.buffer as ArrayBuffer,
    reverse.inEdgeOrdinal.buffer as ArrayBuffer,
  ]);
}

/** The helper half of the edge split, reading the snapshot through its own file handle. */
function parseEdgesTailOfFile(job: EdgeSplitJob): void {
  let fd = -1;
  try {
    fd = openSync(job.path, 'r');
  } catch {
    // parseEdgesTail reports Unused when nothing can be read.
  }
  const readAt = (buffer: Uint8Array, length: number, position: number): number => {
    if (fd < 0) return 0;
    let done = 0;
    while (done < length) {
      const read = readSync(fd, buffer, done, length - done, position + done);
      if (read <= 0) break;
      done += read;
    }
    return done;
  };
  try {
    parseEdgesTail(job, readAt);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** A GraphStore over the shared columns; the reverse CSR stays empty (nothing here reads it). */
function storeOf(columns: WireColumns): GraphStore {
  const { stringBytes, stringOffsets, ...rest } = columns;
  const empty = new Uint32Array(0);
  return {
    ...rest,
    language: 'v8',
    python: null,
    nodeCount: columns.nodeKind.length,
    edgeCount: columns.edgeTarget.length,
    strings: new StringTable(stringBytes, stringOffsets, stringOffsets.length - 1),
    firstInEdge: empty,
    inEdgeOrdinal: empty,
    edgeSourceBlocks: empty,
  };
}

if (!isMainThread && (workerData as Partial<LoadWorkerData> | null)?.gcshLoadWorker === true) serve();
