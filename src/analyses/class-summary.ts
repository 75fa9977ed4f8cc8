// Layer 3 (analyses): the Summary aggregates as columns per class (count, self size, retained size, distance,
// largest member), so they can be persisted in the index file and `summary` answers in microseconds.
import type { ClassSummary, DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { aggregateByClass } from './aggregates.js';
import type { DominatedChildren } from './dominator-tree.js';

/** DevTools aggregates (aggregateByClass) plus each class's largest retained member. O(N) plus a tree walk. */
export function computeClassSummary(store: GraphStore, derived: DerivedIndexes, tree?: DominatedChildren): ClassSummary {
  const summary = classSummaryWithoutDistances(store, derived, tree);
  fillClassDistances(store, derived, summary);
  return summary;
}

/**
 * computeClassSummary without the per-class distances (all 0 until fillClassDistances), so a loader can build it
 * while another thread is still computing distances.
 */
export function classSummaryWithoutDistances(
  store: GraphStore,
  derived: Omit<DerivedIndexes, 'distance'>,
  tree?: DominatedChildren,
): ClassSummary {
  const classCount = derived.classNames.length;
  const count = new Float64Array(classCount);
  const selfSize = new Float64Array(classCount);
  const retainedSize = new Float64Array(classCount);
  const distance = new Int32Array(classCount);
  const largest = new Int32Array(classCount).fill(-1);
  const noDistances = { ...derived, distance: new Int32Array(0) };
  for (const aggregate of aggregateByClass(store, noDistances, { ...(tree ? { tree } : {}), maxMembers: 0, withoutDistances: true })) {
    count[aggregate.classIndex] = aggregate.count;
    selfSize[aggregate.classIndex] = aggregate.selfSize;
    retainedSize[aggregate.classIndex] = aggregate.retainedSize;
  }
  const { classOf } = derived;
  const retained = derived.retainedSize;
  const self = store.selfSize;
  for (let i = 0; i < store.nodeCount; i++) {
    if (self[i] === 0) continue;
    const c = classOf[i]!;
    const best = largest[c]!;
    if (best < 0 || retained[i]! > retained[best]!) largest[c] = i;
  }
  return { count, selfSize, retainedSize, distance, largest };
}

/** Each class's smallest distance among its counted members (self size > 0), as aggregateByClass gives it. O(N). */
export function fillClassDistances(store: GraphStore, derived: Pick<DerivedIndexes, 'classOf' | 'distance'>, summary: ClassSummary): void {
  const { classOf, distance } = derived;
  const smallest = summary.distance;
  smallest.fill(0x7fffffff);
  const self = store.selfSize;
  for (let i = 0; i < store.nodeCount; i++) {
    if (self[i] === 0) continue;
    const c = classOf[i]!;
    if (distance[i]! < smallest[c]!) smallest[c] = distance[i]!;
  }
  for (let c = 0; c < smallest.length; c++) if (summary.count[c] === 0) smallest[c] = 0;
}
