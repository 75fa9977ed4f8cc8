// Layer 5 (commands): the objects a collection would free in the current snapshot, shared by `garbage`, `purge`
// and `assert garbage …`. Python: exactly what gc.collect() would collect (CPython's algorithm on the snapshot).
// V8: snapshots are written after a full GC, so what is left unreachable over strong edges is only what weak
// references still point at (or what nothing strong reaches); the next GC frees it.
import { GarbageFlag } from '../analyses/python-unreachable.js';
import { NodeFlag, noDistance } from '../store/derived.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';

export interface GarbageSet {
  /** Ordinals in display order: Python source cycles first, then the rest; V8 largest retained first. */
  readonly ordinals: Uint32Array;
  readonly bytes: number;
  /** Per-ordinal GarbageFlag bits (Python) or null. */
  readonly flags: Uint16Array | null;
  /** Python forecasts of what the collection would also do. */
  readonly uncollectable: number;
  readonly finalizers: number;
  readonly mayResurrect: number;
  readonly weakrefCallbacks: number;
  readonly sourceCycles: number;
}

export function garbageSet(snapshot: LoadedSnapshot): GarbageSet {
  const python = snapshot.pythonGarbage();
  const { store, derived } = snapshot;
  if (python) {
    const ordered = python.garbageOrder.filter((o) => python.collected[o] === 1);
    let bytes = 0;
    for (const o of ordered) bytes += store.selfSize[o]!;
    return {
      ordinals: ordered,
      bytes,
      flags: python.garbageFlags,
      uncollectable: python.counts.uncollectableCount,
      finalizers: python.counts.finalizerCount,
      mayResurrect: python.counts.mayResurrectCount,
      weakrefCallbacks: python.counts.weakrefCallbackCount,
      sourceCycles: python.counts.sourceCycleCount,
    };
  }
  const found: number[] = [];
  let bytes = 0;
  for (let i = 0; i < store.nodeCount; i++) {
    if (i === store.rootOrdinal) continue;
    if ((derived.nodeFlags[i]! & NodeFlag.unreachable) !== 0 || derived.distance[i] === noDistance) {
      found.push(i);
      bytes += store.selfSize[i]!;
    }
  }
  const retained = derived.retainedSize;
  found.sort((a, b) => retained[b]! - retained[a]! || a - b);
  return { ordinals: Uint32Array.from(found), bytes, flags: null, uncollectable: 0, finalizers: 0, mayResurrect: 0, weakrefCallbacks: 0, sourceCycles: 0 };
}

/** Short marks for one garbage object: why it matters when freeing. */
export function garbageMarks(flags: Uint16Array | null, ordinal: number): string {
  if (flags === null) return '';
  const bits = flags[ordinal]!;
  const marks: string[] = [];
  if (bits & GarbageFlag.cycleSource) marks.push('cycle source');
  else if (bits & GarbageFlag.inCycle) marks.push('in cycle');
  else marks.push('held by garbage');
  if (bits & GarbageFlag.finalizerWillRun) marks.push('__del__ runs');
  if (bits & GarbageFlag.mayResurrect) marks.push('may resurrect');
  return marks.join(', ');
}

/** Count and bytes per type, biggest first. */
export function garbageByType(snapshot: LoadedSnapshot, ordinals: Uint32Array): { type: string; count: number; bytes: number }[] {
  const { derived, store } = snapshot;
  const count = new Float64Array(derived.classNames.length);
  const bytes = new Float64Array(derived.classNames.length);
  for (const o of ordinals) {
    count[derived.classOf[o]!]++;
    bytes[derived.classOf[o]!] += store.selfSize[o]!;
  }
  const rows: { type: string; count: number; bytes: number }[] = [];
  for (let c = 0; c < count.length; c++) if (count[c]! > 0) rows.push({ type: derived.classNames[c]!, count: count[c]!, bytes: bytes[c]! });
  rows.sort((a, b) => b.bytes - a.bytes || b.count - a.count || (a.type < b.type ? -1 : 1));
  return rows;
}
