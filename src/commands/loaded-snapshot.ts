// Layer 5 (commands): one snapshot as the session holds it — the store, its derived indexes, and analyses that are
// computed on first use and kept (dominator tree, class aggregates and index, cycles).
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { aggregateByClass, buildClassIndex, membersOfClass, type ClassAggregate, type ClassIndex } from '../analyses/aggregates.js';
import type { ClassSummary } from '../store/derived.js';
import { findCycles, type CyclesResult } from '../analyses/cycles.js';
import { buildDominatorTree, type DominatorTree } from '../analyses/dominator-tree.js';
import { computePythonGarbage, type PythonGarbageResult } from '../analyses/python-unreachable.js';

export interface LoadPhases {
  [phase: string]: number;
}

export class LoadedSnapshot {
  readonly name: string;
  readonly store: GraphStore;
  readonly derived: DerivedIndexes;
  readonly fromIndex: boolean;
  readonly phases: LoadPhases;
  /** Where the index was written or read, if anywhere. */
  readonly indexPath: string | null;
  private classIndexCache: ClassIndex | null = null;
  private aggregatesCache: ClassAggregate[] | null = null;
  private treeCache: DominatorTree | null = null;
  private cyclesCache: CyclesResult | null = null;
  private pythonGarbageCache: PythonGarbageResult | null = null;

  constructor(init: { name: string; store: GraphStore; derived: DerivedIndexes; fromIndex: boolean; phases: LoadPhases; indexPath: string | null }) {
    this.name = init.name;
    this.store = init.store;
    this.derived = init.derived;
    this.fromIndex = init.fromIndex;
    this.phases = init.phases;
    this.indexPath = init.indexPath;
  }

  get language(): GraphStore['language'] {
    return this.store.language;
  }

  /** Members of each class, built once (O(N)). */
  classIndex(): ClassIndex {
    this.classIndexCache ??= buildClassIndex(this.store, this.derived);
    return this.classIndexCache;
  }

  /** The dominator tree as a children CSR, built once (O(N)). */
  dominatorTree(): DominatorTree {
    this.treeCache ??= buildDominatorTree(this.store, this.derived);
    return this.treeCache;
  }

  /** DevTools Summary aggregates, computed once; callers must not mutate the array (copy before sorting). */
  aggregates(): readonly ClassAggregate[] {
    this.aggregatesCache ??= this.derived.classSummary ? aggregatesFromSummary(this.derived.classNames, this.derived.classSummary) : aggregateByClass(this.store, this.derived, { tree: this.dominatorTree() });
    return this.aggregatesCache;
  }

  /** The class member retaining the most (self size > 0), or -1. */
  largestOfClass(classIndex: number): number {
    const summary = this.derived.classSummary;
    if (summary) return summary.largest[classIndex]!;
    const members = membersOfClass(this.classIndex(), classIndex);
    let best = -1;
    for (const m of members) if (this.store.selfSize[m]! > 0 && (best < 0 || this.derived.retainedSize[m]! > this.derived.retainedSize[best]!)) best = m;
    return best;
  }

  /** Every cycle among user-actionable objects, ranked by retained size, computed once (O(N + E)); members unsorted. */
  cycles(): CyclesResult {
    this.cyclesCache ??= findCycles(this.store, this.derived, { tree: this.dominatorTree(), sortMembers: false });
    return this.cyclesCache;
  }

  /** Python: what gc.collect() would free now, with finalizer/weakref forecasts and the garbage's cycles. */
  pythonGarbage(): PythonGarbageResult | null {
    if (this.store.language !== 'python') return null;
    this.pythonGarbageCache ??= computePythonGarbage(this.store);
    return this.pythonGarbageCache;
  }
}

/** Aggregates rebuilt from persisted summary columns (classes with no counted member are left out, as DevTools does). */
function aggregatesFromSummary(classNames: readonly string[], summary: ClassSummary): ClassAggregate[] {
  const result: ClassAggregate[] = [];
  for (let c = 0; c < classNames.length; c++) {
    if (summary.count[c] === 0) continue;
    result.push({ classIndex: c, name: classNames[c]!, count: summary.count[c]!, selfSize: summary.selfSize[c]!, retainedSize: summary.retainedSize[c]!, distance: summary.distance[c]!, firstMembers: [] });
  }
  result.sort((a, b) => b.retainedSize - a.retainedSize || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return result;
}
