// Layer 3 (analyses): what grew between snapshots of one process. DevTools' Comparison view semantics
// (calculateSnapshotDiff): a self-size, identity diff per class — objects only in the newer snapshot are "added",
// objects only in the older one "removed"; objects of self size 0 are invisible to it. V8 ids are stable across
// snapshots of one isolate; Python id() values are reused after objects die, so Python identity is (id, type).
import { idIndexOf } from '../store/id-index.js';
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';

export interface SnapshotView {
  readonly store: GraphStore;
  readonly derived: DerivedIndexes;
}

export interface ClassGrowth {
  /** Class name (the key both snapshots share). */
  readonly name: string;
  /** Class index in the newer snapshot, or -1 when the class exists only in the older one. */
  readonly classIndex: number;
  readonly addedCount: number;
  /** Σ self sizes of added objects, bytes (newer snapshot). */
  readonly addedSize: number;
  readonly removedCount: number;
  /** Σ self sizes of removed objects, bytes (older snapshot). */
  readonly removedSize: number;
  readonly countDelta: number;
  readonly sizeDelta: number;
  /** Instances in the newer snapshot (self size > 0). */
  readonly count: number;
  /** The added object with the largest retained size (newer snapshot ordinal), -1 if none. */
  readonly largestAdded: number;
}

export interface SnapshotDiff {
  /** Classes with any addition or removal, largest size growth first. */
  readonly classes: ClassGrowth[];
  /** 1 where the newer snapshot's object is new (absent from the older one, by identity). */
  readonly isNew: Uint8Array;
  readonly addedCount: number;
  readonly removedCount: number;
  readonly addedSize: number;
  readonly removedSize: number;
}

/** Class index in `to` for each class of `from`, matched by name; -1 when absent. Per class, not per object. */
export function mapClassesByName(from: readonly string[], to: readonly string[]): Int32Array {
  const position = new Map<string, number>();
  to.forEach((name, index) => position.set(name, index));
  return Int32Array.from(from, (name) => position.get(name) ?? -1);
}

/**
 * For each node of `newer`, its ordinal in `older` by identity, or -1. V8: same heap object id. Python: same id()
 * and the same type, because CPython reuses addresses. When an id repeats in `older`, the first of them in id order.
 * A merge of the two id orders: O(N).
 */
export function matchObjects(older: SnapshotView, newer: SnapshotView): Int32Array {
  const result = new Int32Array(newer.store.nodeCount).fill(-1);
  const checkType = newer.store.language === 'python' || older.store.language === 'python';
  const classMap = checkType ? mapClassesByName(newer.derived.classNames, older.derived.classNames) : null;
  const newOrder = idIndexOf(newer.store).sortedOrdinals;
  const newIds = newer.store.nodeId;
  const oldOrder = idIndexOf(older.store).sortedOrdinals;
  const oldIds = older.store.nodeId;
  let j = 0;
  for (let k = 0; k < newOrder.length; k++) {
    const ordinal = newOrder[k]!;
    const id = newIds[ordinal]!;
    while (j < oldOrder.length && oldIds[oldOrder[j]!]! < id) j++;
    if (j === oldOrder.length) break;
    const match = oldOrder[j]!;
    if (oldIds[match] !== id) continue;
    if (classMap !== null && classMap[newer.derived.classOf[ordinal]!] !== older.derived.classOf[match]) continue;
    result[ordinal] = match;
  }
  return result;
}

/** DevTools-style per-class diff from `older` to `newer`. O(N log N). */
export function diffSnapshots(older: SnapshotView, newer: SnapshotView): SnapshotDiff {
  const match = matchObjects(older, newer);
  const newerClasses = newer.derived.classNames;
  const olderToNewer = mapClassesByName(older.derived.classNames, newerClasses);
  // Classes only in the older snapshot get slots after the newer snapshot's classes.
  const extraNames: string[] = [];
  const olderSlot = Int32Array.from(olderToNewer, (target, c) => (target >= 0 ? target : newerClasses.length + extraNames.push(older.derived.classNames[c]!) - 1));
  const slotCount = newerClasses.length + extraNames.length;
  const addedCount = new Float64Array(slotCount);
  const addedSize = new Float64Array(slotCount);
  const removedCount = new Float64Array(slotCount);
  const removedSize = new Float64Array(slotCount);
  const count = new Float64Array(slotCount);
  const largestAdded = new Int32Array(slotCount).fill(-1);
  const isNew = new Uint8Array(newer.store.nodeCount);
  const seenInNewer = new Uint8Array(older.store.nodeCount);
  const newerSelf = newer.store.selfSize;
  const retained = newer.derived.retainedSize;
  for (let i = 0; i < match.length; i++) {
    const m = match[i]!;
    if (m >= 0) seenInNewer[m] = 1;
    if (newerSelf[i] === 0) continue;
    const slot = newer.derived.classOf[i]!;
    count[slot]++;
    if (m >= 0) continue;
    isNew[i] = 1;
    addedCount[slot]++;
    addedSize[slot] += newerSelf[i]!;
    const best = largestAdded[slot]!;
    if (best < 0 || retained[i]! > retained[best]!) largestAdded[slot] = i;
  }
  const olderSelf = older.store.selfSize;
  for (let o = 0; o < older.store.nodeCount; o++) {
    if (seenInNewer[o] || olderSelf[o] === 0) continue;
    const slot = olderSlot[older.derived.classOf[o]!]!;
    removedCount[slot]++;
    removedSize[slot] += olderSelf[o]!;
  }
  const classes: ClassGrowth[] = [];
  let totalAdded = 0;
  let totalRemoved = 0;
  let totalAddedSize = 0;
  let totalRemovedSize = 0;
  for (let slot = 0; slot < slotCount; slot++) {
    if (addedCount[slot] === 0 && removedCount[slot] === 0) continue;
    totalAdded += addedCount[slot]!;
    totalRemoved += removedCount[slot]!;
    totalAddedSize += addedSize[slot]!;
    totalRemovedSize += removedSize[slot]!;
    classes.push({
      name: slot < newerClasses.length ? newerClasses[slot]! : extraNames[slot - newerClasses.length]!,
      classIndex: slot < newerClasses.length ? slot : -1,
      addedCount: addedCount[slot]!,
      addedSize: addedSize[slot]!,
      removedCount: removedCount[slot]!,
      removedSize: removedSize[slot]!,
      countDelta: addedCount[slot]! - removedCount[slot]!,
      sizeDelta: addedSize[slot]! - removedSize[slot]!,
      count: count[slot]!,
      largestAdded: largestAdded[slot]!,
    });
  }
  classes.sort((a, b) => b.sizeDelta - a.sizeDelta || b.countDelta - a.countDelta || (a.name < b.name ? -1 : 1));
  return { classes, isNew, addedCount: totalAdded, removedCount: totalRemoved, addedSize: totalAddedSize, removedSize: totalRemovedSize };
}

export interface SteadyGrowth {
  readonly name: string;
  /** Instance counts (self size > 0) in each snapshot, oldest first. */
  readonly counts: readonly number[];
  readonly sizes: readonly number[];
}

/** Classes whose instance count grew at every step of a series (memlab's unbound-object idea). O(k·N). */
export function classesGrowingEveryStep(series: readonly SnapshotView[]): SteadyGrowth[] {
  const last = series[series.length - 1]!;
  const names = last.derived.classNames;
  const perSnapshot = series.map((view) => {
    const toLast = mapClassesByName(view.derived.classNames, names);
    const counts = new Float64Array(names.length);
    const sizes = new Float64Array(names.length);
    for (let i = 0; i < view.store.nodeCount; i++) {
      if (view.store.selfSize[i] === 0) continue;
      const slot = toLast[view.derived.classOf[i]!]!;
      if (slot < 0) continue;
      counts[slot]++;
      sizes[slot] += view.store.selfSize[i]!;
    }
    return { counts, sizes };
  });
  const result: SteadyGrowth[] = [];
  for (let c = 0; c < names.length; c++) {
    let grew = true;
    for (let s = 1; s < series.length && grew; s++) grew = perSnapshot[s]!.counts[c]! > perSnapshot[s - 1]!.counts[c]!;
    if (grew) result.push({ name: names[c]!, counts: perSnapshot.map((p) => p.counts[c]!), sizes: perSnapshot.map((p) => p.sizes[c]!) });
  }
  result.sort((a, b) => b.sizes[b.sizes.length - 1]! - b.sizes[0]! - (a.sizes[a.sizes.length - 1]! - a.sizes[0]!));
  return result;
}

/**
 * Leak candidates over three snapshots (memlab find-leaks): objects new in `target` relative to `baseline` that
 * are still alive in `final`. Returns `final` ordinals, largest retained first. O(N log N).
 */
export function leakCandidates(baseline: SnapshotView, target: SnapshotView, final: SnapshotView): Uint32Array {
  const targetMatch = matchObjects(baseline, target);
  const finalMatch = matchObjects(target, final);
  const candidates: number[] = [];
  for (let f = 0; f < finalMatch.length; f++) {
    const t = finalMatch[f]!;
    if (t >= 0 && targetMatch[t]! < 0 && final.store.selfSize[f]! > 0) candidates.push(f);
  }
  const retained = final.derived.retainedSize;
  candidates.sort((a, b) => retained[b]! - retained[a]! || a - b);
  return Uint32Array.from(candidates);
}
