// Layer 5 (commands): the parallel V8 load. A worker thread (load-worker.ts) parses the tail of the edges while the
// main thread parses their head (edge-split.ts), packs the edge kinds and builds the reverse CSR while the main
// thread reads the strings, then does shallow sizes and classes while the main thread runs flags → essential edges
// → Lengauer–Tarjan, and last the distances while the main thread does retained sizes, the dominator tree and the
// Summary; both read the reader's columns from SharedArrayBuffers. Every result is computed by the same functions
// as the one-thread load, so it is identical. The split is also a memory plan: Lengauer–Tarjan's scratch is the
// load's peak, so nothing that allocates node arrays runs beside it.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { CancelToken, ProgressSink } from '../base/cancel.js';
import { throwIfCancelled } from '../base/cancel.js';
import { collectGarbageNow } from '../base/collect-garbage.js';
import { GcshError } from '../base/errors.js';
import { classSummaryWithoutDistances, fillClassDistances } from '../analyses/class-summary.js';
import { buildDominatedChildren } from '../analyses/dominator-tree.js';
import { accumulateRetainedSizes, computeImmediateDominators, type ImmediateDominators } from '../analyses/dominators.js';
import { EphemeronNames } from '../analyses/ephemeron-names.js';
import { computeEssentialEdges } from '../analyses/essential-edges.js';
import { computeV8NodeFlags, propagateDomState } from '../analyses/node-flags.js';
import { EdgeSplit, type EdgeSplitJob } from '../formats/v8/edge-split.js';
import { readHeapSnapshotColumns } from '../formats/v8/read-heapsnapshot.js';
import type { FinalEdges } from '../formats/v8/snapshot-parser.js';
import { asPackedColumns, assembleStore, packForwardColumns, type PackedColumns } from '../store/assemble.js';
import { maxPackedKinds, type EdgeNameOverflow } from '../store/edge-packing.js';
import { NodeFlag, noDistance, type ClassColumn, type DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import type { ReverseEdges } from '../store/reverse-edges.js';
import { StringTable } from '../store/string-table.js';
import type { LoadWorkerData } from './load-worker.js';
import type { LoadPhases } from './loaded-snapshot.js';

/**
 * The packed columns as posted to the worker: SharedArrayBuffer views (shared, not copied) and small values. The
 * string table travels as its two arrays (a posted class instance arrives as a plain object).
 */
export type WireColumns = Omit<PackedColumns, 'strings' | 'language' | 'python'> & {
  readonly stringBytes: Uint8Array;
  readonly stringOffsets: Float64Array;
};

export type ToLoadWorker =
  | { type: 'edges'; job: EdgeSplitJob }
  | { type: 'edges-final'; edges: FinalEdges; path: string }
  | { type: 'distances' }
  | { type: 'analyse'; columns: WireColumns; reverseBuilt: boolean };

export type FromLoadWorker =
  | { type: 'ready' }
  | { type: 'edges'; elapsedMs: number }
  | { type: 'packed'; overflow: EdgeNameOverflow; elapsedMs: number }
  | { type: 'reverse'; reverse: ReverseEdges; elapsedMs: number }
  | { type: 'shallow-sizes'; elapsedMs: number }
  | { type: 'distances'; distance: Int32Array; elapsedMs: number }
  | { type: 'classes'; classOf: ClassColumn; classNames: readonly string[]; elapsedMs: number }
  | { type: 'done' }
  | { type: 'error'; message: string };

type ResultType = Exclude<FromLoadWorker['type'], 'ready' | 'done' | 'error'>;
type ResultOf<T extends ResultType> = Extract<FromLoadWorker, { type: T }>;

/** Below this many bytes a second thread costs more to start than it saves. */
export const parallelLoadMinBytes = 16 << 20;

/** The main thread's handle on one load worker: posts work, and hands out one promise per expected result. */
class LoadWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<ResultType, { resolve: (message: FromLoadWorker) => void; reject: (error: Error) => void }>();
  private readonly arrived = new Map<ResultType, FromLoadWorker>();
  private failure: Error | null = null;
  /** The worker sent its last result and is ending by itself. */
  private finished = false;

  constructor() {
    const data: LoadWorkerData = { gcshLoadWorker: true };
    // Under tsx (tests) this module is .ts and so is its worker; the built package runs the .js next to it.
    const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const url = new URL(`./load-worker${extension}`, import.meta.url);
    // A worker does not inherit the parent's module hooks, so under tsx the worker registers tsx itself first.
    this.worker =
      extension === '.ts'
        ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true, workerData: data })
        : new Worker(url, { workerData: data });
    this.worker.on('message', (message: FromLoadWorker) => {
      if (message.type === 'ready') return;
      if (message.type === 'done') {
        this.finished = true;
        return;
      }
      if (message.type === 'error') return this.fail(new GcshError('internal', `load worker failed: ${message.message}`));
      const waiter = this.waiting.get(message.type);
      if (waiter) {
        this.waiting.delete(message.type);
        waiter.resolve(message);
      } else this.arrived.set(message.type, message);
    });
    this.worker.on('error', (error) => this.fail(new GcshError('internal', `load worker failed: ${error.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.finished) this.fail(new GcshError('internal', `load worker exited early (code ${code})`));
    });
  }

  post(message: ToLoadWorker): void {
    this.worker.postMessage(message);
  }

  /** The worker's next result of this type (each type is sent once per load). */
  result<T extends ResultType>(type: T): Promise<ResultOf<T>> {
    const message = this.arrived.get(type);
    if (message) {
      this.arrived.delete(type);
      return Promise.resolve(message as ResultOf<T>);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.set(type, { resolve: resolve as (message: FromLoadWorker) => void, reject }));
  }

  async close(): Promise<void> {
    this.failure ??= new GcshError('internal', 'load worker closed');
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}

export interface ParallelLoad {
  readonly store: GraphStore;
  readonly derived: DerivedIndexes;
}

/**
 * Read a `.heapsnapshot` and compute its derived columns (as `analyse` does) on two threads. Adds per-step wall
 * times to `phases` (`read`, `analyses`, and the worker's steps as `worker.*`). Throws what the reader throws,
 * CancelledError, or GcshError('internal') when the worker fails.
 */
export async function loadV8InParallel(path: string, phases: LoadPhases, progress: ProgressSink, cancel: CancelToken): Promise<ParallelLoad> {
  const worker = new LoadWorker();
  try {
    let mark = performance.now();
    // The worker parses the edges' tail while this thread parses their head (edge-split.ts), then packs the edge
    // kinds and builds the retainer CSR while this thread reads the rest of the file (the strings come last).
    const { columns, earlyEdges } = await readForBothThreads(path, worker, phases, progress, cancel);
    phases.read = performance.now() - mark;
    collectGarbageNow(); // the parser's buffers, the unshared strings and the edge kind bytes
    worker.result('edges').then((message) => (phases['worker.edges'] = message.elapsedMs), () => {});
    throwIfCancelled(cancel);
    mark = performance.now();
    worker.post({ type: 'analyse', columns: wireColumnsOf(columns), reverseBuilt: earlyEdges });
    const result = await analyseOnTwoThreads(columns, worker, phases, progress, cancel);
    phases.analyses = performance.now() - mark;
    return result;
  } finally {
    await worker.close();
  }
}

/**
 * The reader's columns with the strings shared and the edge kinds packed. A function of its own so that nothing
 * keeps the reader's result (its byte-per-edge kind column) alive once the kinds are packed.
 */
async function readForBothThreads(
  path: string,
  worker: LoadWorker,
  phases: LoadPhases,
  progress: ProgressSink,
  cancel: CancelToken,
): Promise<{ columns: PackedColumns; earlyEdges: boolean }> {
  const edgeSplit = new EdgeSplit(path, (job) => worker.post({ type: 'edges', job }));
  let earlyEdges = false;
  const onEdgesFinal = (edges: FinalEdges): void => {
    // More kinds than fit is an error, reported with its path by this thread's own packing.
    if (edges.edgeKindCount > maxPackedKinds) return;
    worker.post({ type: 'edges-final', edges, path });
    earlyEdges = true;
  };
  const read = await readHeapSnapshotColumns(path, { progress, cancel, shared: true, edgeSplit, onEdgesFinal });
  // Both threads read the strings: one shared copy of exactly their size (the reader's buffer had slack).
  read.strings = sharedStringTable(read.strings);
  const columns = earlyEdges ? asPackedColumns(read, (await fromWorkerTimed(worker, 'packed', phases)).overflow) : packForwardColumns(read);
  return { columns, earlyEdges };
}

/** The worker's result of this type, with its time in phases as `worker.<type>`. */
async function fromWorkerTimed<T extends ResultType>(worker: LoadWorker, type: T, phases: LoadPhases): Promise<ResultOf<T>> {
  const message = await worker.result(type);
  phases[`worker.${type}`] = (message as { elapsedMs: number }).elapsedMs;
  return message;
}

/** The same strings on SharedArrayBuffers of exactly their size (posting a view of these shares, never copies). */
function sharedStringTable(strings: StringTable): StringTable {
  const byteLength = strings.totalBytes;
  const bytes = new Uint8Array(new SharedArrayBuffer(byteLength));
  bytes.set(strings.bytes.subarray(0, byteLength));
  const offsets = new Float64Array(new SharedArrayBuffer((strings.count + 1) * 8));
  offsets.set(strings.offsets.subarray(0, strings.count + 1));
  return new StringTable(bytes, offsets, strings.count);
}

function wireColumnsOf(columns: PackedColumns): WireColumns {
  const shared = [columns.nodeKind, columns.nodeName, columns.nodeId, columns.selfSize, columns.firstOutEdge, columns.edgeKindAndName, columns.edgeTarget];
  // The reader allocates these on SharedArrayBuffers; a plain buffer here would be silently copied (and selfSize
  // reattribution would then be lost), so refuse rather than compute wrong sizes.
  if (!shared.every((column) => column.buffer instanceof SharedArrayBuffer)) throw new GcshError('internal', 'parallel load: columns are not shared');
  const { strings, language: _v8, python: _none, ...rest } = columns;
  if (!(strings.bytes.buffer instanceof SharedArrayBuffer)) throw new GcshError('internal', 'parallel load: strings are not shared');
  return { ...rest, stringBytes: strings.bytes, stringOffsets: strings.offsets };
}

async function analyseOnTwoThreads(
  columns: PackedColumns,
  worker: LoadWorker,
  phases: LoadPhases,
  progress: ProgressSink,
  cancel: CancelToken,
): Promise<ParallelLoad> {
  const nodeCount = columns.nodeKind.length;
  const empty = new Uint32Array(0);
  // The store as the main thread's analyses see it until the worker's reverse CSR arrives.
  const partial: GraphStore = {
    ...columns,
    nodeCount,
    edgeCount: columns.edgeTarget.length,
    firstInEdge: empty,
    inEdgeOrdinal: empty,
    edgeSourceBlocks: empty,
  };
  const step = <T>(name: string, run: () => T): T => {
    throwIfCancelled(cancel);
    progress(name, 0, nodeCount);
    const started = performance.now();
    const result = run();
    phases[name] = performance.now() - started;
    progress(name, nodeCount, nodeCount);
    return result;
  };
  const fromWorker = async <T extends ResultType>(type: T): Promise<ResultOf<T>> => {
    const started = performance.now();
    const message = await worker.result(type);
    const waitedMs = performance.now() - started;
    phases[`worker.${type}`] = (message as { elapsedMs: number }).elapsedMs;
    if (waitedMs >= 1) phases[`wait.${type}`] = waitedMs;
    throwIfCancelled(cancel);
    return message;
  };
  const nodeFlags = step('flags', () => computeV8NodeFlags(partial, propagateDomState(partial), cancel));
  const ephemerons = new EphemeronNames(partial.strings);
  const essential = step('essential-edges', () => computeEssentialEdges(partial, nodeFlags, ephemerons, cancel));
  const { reverse } = await fromWorker('reverse');
  const withReverse: GraphStore = { ...partial, ...reverse };
  let immediate: ImmediateDominators | null = step('dominators', () => computeImmediateDominators(withReverse, essential, cancel));
  collectGarbageNow(); // Lengauer–Tarjan's scratch (three node arrays) goes before the next phases allocate
  const dominator = immediate.dominator;
  // Only now: during Lengauer–Tarjan the distances' two node arrays would add to the load's memory peak. The
  // worker computes them while this thread does retained sizes, the tree and the Summary (but its distances).
  worker.post({ type: 'distances' });
  await fromWorker('shallow-sizes');
  const retainedSize = step('retained-sizes', () => accumulateRetainedSizes(immediate!, columns.selfSize));
  immediate = null; // its preorder (a node array) is dead now
  // Only the Summary's walk needs the tree, and only its children CSR (no preorder intervals: 5 fewer arrays).
  const tree = step('dominator-tree', () => buildDominatedChildren(withReverse, { dominator }));
  const { classOf, classNames } = await fromWorker('classes');
  const extraNativeBytes = columns.v8?.extraNativeBytes ?? 0;
  const withoutDistances = {
    dominator,
    retainedSize,
    nodeFlags,
    classOf,
    classNames,
    totalSize: nodeCount === 0 ? extraNativeBytes : retainedSize[columns.rootOrdinal]! + extraNativeBytes,
  };
  const classSummary = step('summary', () => classSummaryWithoutDistances(withReverse, withoutDistances, tree));
  const { distance } = await fromWorker('distances');
  for (let i = 0; i < nodeCount; i++) if (distance[i] === noDistance) nodeFlags[i] |= NodeFlag.unreachable;
  const derived: DerivedIndexes = { ...withoutDistances, distance, classSummary };
  fillClassDistances(withReverse, derived, classSummary);
  await worker.close();
  const store = assembleStore(columns, { validated: true, reverse });
  return { store, derived };
}
