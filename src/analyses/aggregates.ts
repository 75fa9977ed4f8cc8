// Layer 3 (analyses): per-class aggregates with DevTools' Summary semantics (buildAggregates and
// calculateClassesRetainedSize), and a class → members index built once.
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { buildDominatedChildren, type DominatedChildren } from './dominator-tree.js';

export interface ClassAggregate {
  /** Index into derived.classNames. */
  readonly classIndex: number;
  readonly name: string;
  /** Members counted (nodes with a non-zero self size that pass the filter). */
  readonly count: number;
  /** Σ self sizes of the counted members, bytes. */
  readonly selfSize: number;
  /**
   * Bytes retained by the class without double counting (DevTools maxRet): the retained sizes of counted members
   * that have no dominator-tree ancestor of the same class that was itself counted.
   */
  readonly retainedSize: number;
  /** Smallest distance among the counted members (DevTools class distance). */
  readonly distance: number;
  /** The first counted members in ordinal order (at most options.maxMembers). */
  readonly firstMembers: readonly number[];
}

export interface AggregateOptions {
  /** Keep only nodes for which this returns true (e.g. an id range or an allocation filter). */
  filter?: (ordinal: number) => boolean;
  /** How many member ordinals to keep per class; default 5. */
  maxMembers?: number;
  /** A dominator tree (or just its children CSR) already built for this snapshot, to skip rebuilding it. */
  tree?: DominatedChildren;
  /** Skip the per-class smallest distance (each `distance` is then 0x7fffffff): for a caller whose distances come later. */
  withoutDistances?: boolean;
  cancel?: CancelToken;
}

/**
 * Aggregate nodes by class, DevTools-style. Nodes with self size 0 are skipped entirely (this includes everything
 * emptied by shallow-size reattribution), exactly as the Summary view does. Result order: retained size
 * descending, then name. O(N) plus a dominator-tree walk.
 */
export function aggregateByClass(store: GraphStore, derived: DerivedIndexes, options: AggregateOptions = {}): ClassAggregate[] {
  const { classOf, classNames, distance, retainedSize } = derived;
  const withDistances = options.withoutDistances !== true;
  const selfSize = store.selfSize;
  const filter = options.filter;
  const maxMembers = options.maxMembers ?? 5;
  const classCount = classNames.length;
  const count = new Float64Array(classCount);
  const self = new Float64Array(classCount);
  const retained = new Float64Array(classCount);
  const minDistance = new Int32Array(classCount).fill(0x7fffffff);
  const members: number[][] = [];
  for (let i = 0; i < store.nodeCount; i++) {
    if ((i & 0xffff) === 0) throwIfCancelled(options.cancel);
    const size = selfSize[i]!;
    if (size === 0 || (filter && !filter(i))) continue;
    const c = classOf[i]!;
    count[c]++;
    self[c] += size;
    if (withDistances && distance[i]! < minDistance[c]!) minDistance[c] = distance[i]!;
    if (maxMembers > 0) {
      const list = (members[c] ??= []);
      if (list.length < maxMembers) list.push(i);
    }
  }
  // calculateClassesRetainedSize: DFS the dominator tree; a counted node adds its retained size unless an
  // ancestor of the same class was counted. `open` marks classes counted on the current path; each entry of the
  // open stack is a distinct class, so it needs classCount entries, not one per node.
  const tree = options.tree ?? buildDominatedChildren(store, derived);
  const { firstDominated, dominatedNodes } = tree;
  const open = new Uint8Array(classCount);
  // Pending nodes: children are pushed in bulk, so this grows with the widest fan-out on the path, not with N.
  let list: Uint32Array = new Uint32Array(Math.min(store.nodeCount + 1, 1 << 16));
  const openAt = new Int32Array(classCount + 1);
  const openClass = new Uint32Array(classCount + 1);
  let listLength = 0;
  let openLength = 1;
  openAt[0] = -1;
  if (store.nodeCount > 0) list[listLength++] = store.rootOrdinal;
  let iterations = 0;
  while (listLength > 0) {
    if ((++iterations & 0xffff) === 0) throwIfCancelled(options.cancel);
    const node = list[--listLength]!;
    const c = classOf[node]!;
    const from = firstDominated[node]!;
    const to = firstDominated[node + 1]!;
    if (open[c] === 0 && selfSize[node] !== 0 && (!filter || filter(node))) {
      retained[c] += retainedSize[node]!;
      if (from !== to) {
        open[c] = 1;
        openAt[openLength] = listLength;
        openClass[openLength++] = c;
      }
    }
    if (listLength + (to - from) > list.length) list = grownTo(list, listLength + (to - from));
    for (let k = from; k < to; k++) list[listLength++] = dominatedNodes[k]!;
    while (openAt[openLength - 1] === listLength) open[openClass[--openLength]!] = 0;
  }
  const result: ClassAggregate[] = [];
  for (let c = 0; c < classCount; c++) {
    if (count[c] === 0) continue;
    result.push({
      classIndex: c,
      name: classNames[c]!,
      count: count[c]!,
      selfSize: self[c]!,
      retainedSize: retained[c]!,
      distance: minDistance[c]!,
      firstMembers: members[c] ?? [],
    });
  }
  result.sort((a, b) => b.retainedSize - a.retainedSize || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return result;
}

/** Class → members CSR: members of class c are `members[firstMember[c] .. firstMember[c+1]-1]`, ascending ordinals. */
export interface ClassIndex {
  readonly firstMember: Uint32Array;
  readonly members: Uint32Array;
}

/**
 * Every node by class, including nodes with self size 0 (aggregates skip those; filter with store.selfSize when
 * matching DevTools' Summary lists). O(N), two passes.
 */
export function buildClassIndex(store: GraphStore, derived: Pick<DerivedIndexes, 'classOf' | 'classNames'>): ClassIndex {
  const classCount = derived.classNames.length;
  const classOf = derived.classOf;
  const firstMember = new Uint32Array(classCount + 1);
  for (let i = 0; i < store.nodeCount; i++) firstMember[classOf[i]! + 1]++;
  for (let c = 0; c < classCount; c++) firstMember[c + 1] += firstMember[c]!;
  const cursor = firstMember.slice(0, classCount);
  const members = new Uint32Array(store.nodeCount);
  for (let i = 0; i < store.nodeCount; i++) members[cursor[classOf[i]!]++] = i;
  return { firstMember, members };
}

/** The members of one class (a view, no copy). */
export function membersOfClass(index: ClassIndex, classIndex: number): Uint32Array {
  return index.members.subarray(index.firstMember[classIndex]!, index.firstMember[classIndex + 1]!);
}

function grownTo(list: Uint32Array, needed: number): Uint32Array {
  let capacity = list.length * 2;
  while (capacity < needed) capacity *= 2;
  const bigger = new Uint32Array(capacity);
  bigger.set(list);
  return bigger;
}
