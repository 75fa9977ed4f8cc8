// Layer 5 (commands): the load pipeline — sniff the format, reuse a valid index file or read the snapshot, run the
// analyses, write the index — with per-phase timings the `load` result and the benchmark report.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CancelToken, ProgressSink } from '../base/cancel.js';
import { neverCancelled, noProgress, throwIfCancelled } from '../base/cancel.js';
import { GcshError } from '../base/errors.js';
import { computeClassSummary } from '../analyses/class-summary.js';
import { computeDerived } from '../analyses/compute-derived.js';
import { markPythonGarbage } from '../analyses/garbage-flags.js';
import { isPyheap, readPyheap } from '../formats/pyheap/read-pyheap.js';
import { looksLikeHeapSnapshot, readLeadingBytes } from '../formats/sniff-format.js';
import { readHeapSnapshot } from '../formats/v8/read-heapsnapshot.js';
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { loadCachedIndex, saveCachedIndex } from '../store/index-cache.js';
import { LoadedSnapshot, type LoadPhases } from './loaded-snapshot.js';
import { snapshotNameFor } from './snapshot-name.js';

export { snapshotNameFor };
import { loadV8InParallel, parallelLoadMinBytes } from './parallel-load.js';

export interface OpenOptions {
  readonly name?: string;
  readonly useIndex: boolean;
  readonly cacheDir?: string;
  readonly progress?: ProgressSink;
  readonly cancel?: CancelToken;
  /**
   * Read and analyse a V8 snapshot on two threads (parallel-load.ts). Default: for plain or gzip snapshot files of
   * at least parallelLoadMinBytes; `false` forces one thread, `true` forces two (tests).
   */
  readonly parallel?: boolean;
  /**
   * Return as soon as the snapshot is ready and write its index in the background (the result's indexPath is then
   * null, and phases.indexWrite appears when the write ends). A process that exits on its own must first await
   * whenIndexWritesSettle(), or the index is lost. Default false: the index is written before returning.
   */
  readonly indexInBackground?: boolean;
}

/** Index writes started with indexInBackground and not yet finished. */
const pendingIndexWrites = new Set<Promise<void>>();

/** Resolves once every background index write has ended (written or failed: the index is only a cache). */
export async function whenIndexWritesSettle(): Promise<void> {
  while (pendingIndexWrites.size > 0) await Promise.all([...pendingIndexWrites]);
}


/**
 * Open a snapshot file: from its index when one matches the file's size and mtime, else by reading and analysing
 * it (then writing the index, best effort). Throws GcshError with a one-line message on any bad input.
 */
export async function openSnapshot(path: string, options: OpenOptions): Promise<LoadedSnapshot> {
  const progress = options.progress ?? noProgress;
  const cancel = options.cancel ?? neverCancelled;
  const absolute = resolve(path);
  const phases: LoadPhases = {};
  const started = performance.now();
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    throw new GcshError('unreadable-file', `${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (info.isDirectory()) throw new GcshError('unreadable-file', `${path}: is a directory, not a snapshot file`);
  const name = options.name ?? snapshotNameFor(absolute);
  const source = { path: absolute, byteSize: info.size, mtimeMs: info.mtimeMs };
  const locationOptions = options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir };

  if (options.useIndex) {
    const indexStarted = performance.now();
    const cached = await loadCachedIndex(source, locationOptions);
    if ('store' in cached) {
      phases.indexRead = performance.now() - indexStarted;
      phases.total = performance.now() - started;
      return new LoadedSnapshot({ name, store: cached.store, derived: cached.derived, fromIndex: true, phases, indexPath: cached.path });
    }
    phases.indexProbe = performance.now() - indexStarted;
  }

  let store: GraphStore;
  let derived: DerivedIndexes;
  const format = await sniff(absolute);
  if (format === 'heapsnapshot' && (options.parallel ?? info.size >= parallelLoadMinBytes)) {
    ({ store, derived } = await loadV8InParallel(absolute, phases, progress, cancel));
  } else {
    let mark = performance.now();
    store = format === 'pyheap' ? await readPyheap(absolute, { progress, cancel }) : await readHeapSnapshot(absolute, { progress, cancel });
    phases.read = performance.now() - mark;
    throwIfCancelled(cancel);
    mark = performance.now();
    derived = analyse(store, progress, cancel);
    phases.analyses = performance.now() - mark;
  }
  phases.ready = performance.now() - started;

  let indexPath: string | null = null;
  if (options.useIndex) {
    const mark = performance.now();
    // An unwritable folder only costs the next load its speed-up, so failures are not errors.
    const writing = saveCachedIndex(absolute, store, derived, locationOptions).then((saved) => {
      phases.indexWrite = performance.now() - mark;
      return 'path' in saved ? saved.path : null;
    });
    if (options.indexInBackground === true) {
      // Nobody is left to report a failure to; the next load simply rebuilds.
      const settled = writing.then(
        () => {},
        () => {},
      );
      pendingIndexWrites.add(settled);
      void settled.finally(() => pendingIndexWrites.delete(settled));
    } else indexPath = await writing;
  }
  phases.total = performance.now() - started;
  return new LoadedSnapshot({ name, store, derived, fromIndex: false, phases, indexPath });
}

async function sniff(path: string): Promise<'heapsnapshot' | 'pyheap'> {
  const { bytes } = await readLeadingBytes(path);
  if (bytes.length === 0) throw new GcshError('bad-input', `${path}: at byte 0: expected a heap snapshot or .pyheap, found an empty file`);
  if (isPyheap(bytes)) return 'pyheap';
  if (looksLikeHeapSnapshot(bytes)) return 'heapsnapshot';
  throw new GcshError('unsupported-format', `${path}: not a V8 .heapsnapshot or a gcsh .pyheap file (checked the first bytes)`);
}

/** Analyses every loaded snapshot needs; Python stores also get the collector's verdict as NodeFlag.garbage. */
export function analyse(store: GraphStore, progress: ProgressSink = noProgress, cancel: CancelToken = neverCancelled): DerivedIndexes {
  const derived = computeDerived(store, { progress, cancel });
  if (store.language === 'python') markPythonGarbage(store, derived);
  progress('summary', 0, 1);
  const classSummary = computeClassSummary(store, derived);
  progress('summary', 1, 1);
  return { ...derived, classSummary };
}
