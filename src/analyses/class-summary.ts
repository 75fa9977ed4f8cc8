// Layer 3 (analyses): the Summary aggregates as columns per class (count, self size, retained size, distance,
// largest member), so they can be persisted in the index file and `summary` answers in microseconds.
import type { ClassSummary, DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { aggregateByClass } from './aggregates.js';
import type { DominatedChildren } from './dominator-tree.js';

/** DevTools aggregates (aggregateByClass) plus each class's largest retained member. O(N) plus a tree walk. */
export function computeClassSummary(store: GraphStore, derived: DerivedIndexes, tree?: DominatedChildren): ClassSummary {
  const classCount = derived.classNames.length;
  const count = new Float64Array(classCount);
  const selfSize = new Float64Array(classCount);
  const retainedSize = new Float64Array(classCount);
  const distance = new Int32Array(classCount);
  const largest = new Int32Array(classCount).fill(-1);
  for (const aggregate of aggregateByClass(store, derived, tree ? { tree, maxMembers: 0 } : { maxMembers: 0 })) {
    count[aggregate.classIndex] = aggregate.count;
    selfSize[aggregate.classIndex] = aggregate.selfSize;
    retainedSize[aggregate.classIndex] = aggregate.retainedSize;
    distance[aggregate.classIndex] = aggregate.distance;
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
