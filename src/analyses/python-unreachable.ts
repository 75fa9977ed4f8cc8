// Layer 3 (analyses): what a full gc.collect() would free in a Python snapshot, computed without collecting.
// CPython's own algorithm (Python/gc.c, Modules/gcmodule.c <= 3.12): update_refs -> subtract_refs -> move_unreachable,
// then legacy finalizers, weakref callbacks and PEP 442 finalizers; plus the garbage's cycle structure.
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import type { GraphStore } from '../store/graph-store.js';
import { PyFlag } from '../store/graph-store.js';
import { EdgeKind } from '../store/kinds.js';
import { garbageComponents } from './python-garbage-components.js';
import { edgeKindShift, edgeNameOf } from '../store/edge-packing.js';

/** A C type with tp_del (pre-PEP 442 finalizer). The agent cannot see tp_del from Python, so only a future agent
 * or a hand-made store sets it; docs/pyheap-format.md reserves the bit. */
export const legacyFinalizerFlag = 512;
/** Agent flag bits for generators and coroutines (docs/pyheap-format.md): started and paused at a yield, or created
 * and never started. Their finalizer closes them, and closing clears the frame, which can break their cycle. */
export const generatorSuspendedFlag = 1024;
export const generatorCreatedFlag = 2048;
/** Agent flag (3.13+): every yield of the generator is inside a try/with block, so close() clears its whole frame. */
export const generatorYieldsInTryFlag = 4096;

/** Per-node bits in PythonGarbageResult.garbageFlags. */
export const GarbageFlag = {
  /** gc.collect() would free it (tp_clear breaks its cycle, or it dies with the garbage that holds it). */
  collected: 1,
  /** Unreachable but reachable from a legacy (tp_del) finalizer: it stays alive, and tp_del objects go to gc.garbage. */
  uncollectable: 2,
  /** Its __del__ (tp_finalize) would run in this collection. */
  finalizerWillRun: 4,
  /** Reachable from an object whose __del__ will run: a resurrecting __del__ could keep it alive. */
  mayResurrect: 8,
  /** In a reference cycle of the garbage that nothing else in the garbage points into: break it to free the rest. */
  cycleSource: 16,
  /** In a garbage strongly connected component with more than one object or a self-reference. */
  inCycle: 32,
  /** A reachable weakref whose referent dies and whose callback would be called. */
  weakrefCallbackWillRun: 64,
  /** Tracked, and held by references from outside the tracked heap (gc_refs > 0 after subtract_refs). */
  external: 128,
  /** Unreachable, but freed by plain refcounting while finalizers run (a closing generator drops its frame), so it
   * is freed without being counted by gc.collect() or saved by DEBUG_SAVEALL. */
  freedByFinalizer: 256,
} as const;

export interface PythonGarbageResult {
  /** 1 where gc.collect() would free the object (the set DEBUG_SAVEALL would save, minus legacy-finalizer ones). */
  readonly collected: Uint8Array;
  /** GarbageFlag bits per ordinal. */
  readonly garbageFlags: Uint16Array;
  /** gc_refs after subtract_refs for collector candidates (refs from outside the candidates); 0 for others. */
  readonly gcRefs: Float64Array;
  /** Strongly connected component of each unreachable object (numbered in reverse topological order), -1 otherwise. */
  readonly sccOf: Int32Array;
  readonly sccCount: number;
  readonly sccSize: Uint32Array;
  /** Sum of selfSize over the component, bytes. */
  readonly sccBytes: Float64Array;
  /** 1 when the component is a cycle (more than one object, or a self-reference). */
  readonly sccIsCycle: Uint8Array;
  /** 1 when no other unreachable component points into it ("key cycle"): freeing starts here. */
  readonly sccIsSource: Uint8Array;
  /** Unreachable ordinals: source cycles first (largest first), then the rest by component. */
  readonly garbageOrder: Uint32Array;
  readonly counts: PythonGarbageCounts;
  /** Interpreter facts that shaped the result. */
  readonly semantics: {
    readonly pythonVersion: string;
    /** 3.12+: immortal objects are moved out of the collected generations by update_refs. */
    readonly immortalExcluded: boolean;
    /** 3.8: if any finalizer resurrects anything, that collection frees nothing at all (check_garbage). */
    readonly resurrectionKeepsAll: boolean;
  };
}

export interface PythonGarbageCounts {
  /** gc-tracked nodes in the snapshot. */
  readonly trackedCount: number;
  /** Nodes the collector examines (tracked, not immortal on 3.12+). */
  readonly candidateCount: number;
  readonly unreachableCount: number;
  readonly collectedCount: number;
  /** Bytes (selfSize) of the collected objects. */
  readonly collectedBytes: number;
  readonly uncollectableCount: number;
  /** Unreachable objects freed by refcounting during finalization (GarbageFlag.freedByFinalizer). */
  readonly freedByFinalizerCount: number;
  readonly finalizerCount: number;
  readonly mayResurrectCount: number;
  readonly weakrefCallbackCount: number;
  /** Weakrefs (reachable or not) whose referent dies: they are cleared. */
  readonly weakrefsClearedCount: number;
  readonly externalCount: number;
  /** Candidates with gc_refs < 0: the snapshot counted more references than the refcount; treated as external. */
  readonly anomalyCount: number;
  readonly cycleCount: number;
  readonly sourceCycleCount: number;
}

function parseVersion(version: string): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : [3, 13]; // unknown: assume the newest checked version
}

/**
 * Compute what gc.collect() (a full collection) would free at the moment of the snapshot, following the rules of the
 * interpreter version recorded in the store. O(N + E). Pure: reads the store's python columns and never changes the
 * store; a V8 store gives an empty result. Only throws CancelledError (the token is checked between phases).
 */
export function computePythonGarbage(store: GraphStore, options: { cancel?: CancelToken } = {}): PythonGarbageResult {
  const n = store.nodeCount;
  const py = store.python;
  const version = py?.pythonVersion ?? '0.0';
  const [major, minor] = parseVersion(version);
  const immortalExcluded = major > 3 || (major === 3 && minor >= 12);
  const candidate = new Uint8Array(n);
  const gcRefs = new Float64Array(n);
  const garbageFlags = new Uint16Array(n);
  let trackedCount = 0;
  let candidateCount = 0;
  if (py !== null) {
    const flags = py.flags;
    const refcount = py.refcount;
    for (let o = 0; o < n; o++) {
      const f = flags[o]!;
      if ((f & PyFlag.gcTracked) === 0 || (f & PyFlag.frozen) !== 0) continue;
      trackedCount++;
      if (immortalExcluded && (f & PyFlag.immortal) !== 0) continue;
      candidate[o] = 1;
      candidateCount++;
      gcRefs[o] = refcount[o]!; // update_refs
    }
  }
  subtractRefs(store, candidate, gcRefs);
  throwIfCancelled(options.cancel);
  const { unreachable, externalCount, anomalyCount } = moveUnreachable(store, candidate, gcRefs, garbageFlags);
  throwIfCancelled(options.cancel);

  const flags = py?.flags ?? new Uint16Array(n);
  // move_legacy_finalizers + move_legacy_finalizer_reachable: tp_del objects and all they reach stay alive.
  const uncollectable = reachWithin(store, unreachable, (o) => (flags[o]! & legacyFinalizerFlag) !== 0);
  // finalize_garbage: tp_finalize runs once per object (the finalized bit guards it); what it can reach may resurrect.
  const finalizes = (o: number) =>
    !uncollectable[o] && (flags[o]! & PyFlag.hasFinalizer) !== 0 && (flags[o]! & PyFlag.finalized) === 0;
  const mayResurrect = reachWithin(store, unreachable, finalizes);
  // Generators closed by their finalizer clear their frame; what only that frame held is then freed by refcounting.
  const closesFrame = (o: number) =>
    finalizes(o) && (flags[o]! & (minor >= 12 || major > 3 ? generatorSuspendedFlag : generatorSuspendedFlag | generatorCreatedFlag)) !== 0;
  // 3.13's close() of a generator paused outside any try block clears only the locals and keeps the function
  // (gen_close's fast path), so that edge still counts; earlier versions clear the whole frame.
  const keepsFunction = major > 3 || (major === 3 && minor >= 13);
  const freedEarly = freedByRefcount(store, unreachable, uncollectable, closesFrame, keepsFunction, flags);

  const collected = new Uint8Array(n);
  let unreachableCount = 0;
  let collectedCount = 0;
  let collectedBytes = 0;
  let uncollectableCount = 0;
  let freedByFinalizerCount = 0;
  let finalizerCount = 0;
  let mayResurrectCount = 0;
  for (let o = 0; o < n; o++) {
    if (!unreachable[o]) continue;
    unreachableCount++;
    if (uncollectable[o]) {
      garbageFlags[o]! |= GarbageFlag.uncollectable;
      uncollectableCount++;
      continue;
    }
    if (finalizes(o)) {
      garbageFlags[o]! |= GarbageFlag.finalizerWillRun;
      finalizerCount++;
    }
    if (mayResurrect[o]) {
      garbageFlags[o]! |= GarbageFlag.mayResurrect;
      mayResurrectCount++;
    }
    if (freedEarly[o]) {
      garbageFlags[o]! |= GarbageFlag.freedByFinalizer;
      freedByFinalizerCount++;
      continue;
    }
    collected[o] = 1;
    garbageFlags[o]! |= GarbageFlag.collected;
    collectedCount++;
    collectedBytes += store.selfSize[o]!;
  }
  const weakrefs = weakrefEffects(store, unreachable, flags, garbageFlags);
  throwIfCancelled(options.cancel);
  const components = garbageComponents(store, unreachable, garbageFlags);

  return {
    collected,
    garbageFlags,
    gcRefs,
    ...components,
    counts: {
      trackedCount,
      candidateCount,
      unreachableCount,
      collectedCount,
      collectedBytes,
      uncollectableCount,
      freedByFinalizerCount,
      finalizerCount,
      mayResurrectCount,
      weakrefCallbackCount: weakrefs.callbackCount,
      weakrefsClearedCount: weakrefs.clearedCount,
      externalCount,
      anomalyCount,
      cycleCount: components.cycleCount,
      sourceCycleCount: components.sourceCycleCount,
    },
    semantics: { pythonVersion: version, immortalExcluded, resurrectionKeepsAll: major === 3 && minor < 9 },
  };
}

/** subtract_refs: every tp_traverse edge between candidates removes one reference. Weak edges are not references. */
function subtractRefs(store: GraphStore, candidate: Uint8Array, gcRefs: Float64Array): void {
  const { firstOutEdge, edgeTarget, edgeKindAndName, nodeCount } = store;
  for (let o = 0; o < nodeCount; o++) {
    if (!candidate[o]) continue;
    for (let e = firstOutEdge[o]!; e < firstOutEdge[o + 1]!; e++) {
      const target = edgeTarget[e]!;
      if (candidate[target] && (edgeKindAndName[e]! >>> edgeKindShift) !== EdgeKind.weak) gcRefs[target]!--;
    }
  }
}

/** move_unreachable as a graph search from the candidates with gc_refs != 0, within the candidates. */
function moveUnreachable(
  store: GraphStore,
  candidate: Uint8Array,
  gcRefs: Float64Array,
  garbageFlags: Uint16Array,
): { unreachable: Uint8Array; externalCount: number; anomalyCount: number } {
  const { firstOutEdge, edgeTarget, edgeKindAndName, nodeCount } = store;
  const reachable = new Uint8Array(nodeCount);
  const stack = new Uint32Array(nodeCount);
  let top = 0;
  let externalCount = 0;
  let anomalyCount = 0;
  for (let o = 0; o < nodeCount; o++) {
    if (!candidate[o] || gcRefs[o] === 0) continue;
    if (gcRefs[o]! < 0) anomalyCount++; // more edges than references: stale or borrowed; safer to keep it alive
    externalCount++;
    garbageFlags[o]! |= GarbageFlag.external;
    reachable[o] = 1;
    stack[top++] = o;
  }
  while (top > 0) {
    const o = stack[--top]!;
    for (let e = firstOutEdge[o]!; e < firstOutEdge[o + 1]!; e++) {
      const target = edgeTarget[e]!;
      if (candidate[target] && !reachable[target] && (edgeKindAndName[e]! >>> edgeKindShift) !== EdgeKind.weak) {
        reachable[target] = 1;
        stack[top++] = target;
      }
    }
  }
  const unreachable = new Uint8Array(nodeCount);
  for (let o = 0; o < nodeCount; o++) if (candidate[o] && !reachable[o]) unreachable[o] = 1;
  return { unreachable, externalCount, anomalyCount };
}

/** Unreachable nodes reachable (strong edges, within `within`) from those where `start` holds. */
function reachWithin(store: GraphStore, within: Uint8Array, start: (o: number) => boolean): Uint8Array {
  const { firstOutEdge, edgeTarget, edgeKindAndName, nodeCount } = store;
  const seen = new Uint8Array(nodeCount);
  const stack: number[] = [];
  for (let o = 0; o < nodeCount; o++) {
    if (!within[o] || seen[o] || !start(o)) continue;
    seen[o] = 1;
    stack.push(o);
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (let e = firstOutEdge[v]!; e < firstOutEdge[v + 1]!; e++) {
        const w = edgeTarget[e]!;
        if (within[w] && !seen[w] && (edgeKindAndName[e]! >>> edgeKindShift) !== EdgeKind.weak) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
  }
  return seen;
}

/**
 * Objects of the unreachable set freed by refcounting once the frame-clearing finalizers ran: inside the garbage an
 * object's refcount is exactly its number of incoming strong edges from the garbage (nothing else holds it), so
 * dropping the closing generators' edges and peeling zero in-degree objects (Kahn) finds what dies early.
 */
function freedByRefcount(
  store: GraphStore,
  unreachable: Uint8Array,
  uncollectable: Uint8Array,
  closesFrame: (o: number) => boolean,
  keepsFunction: boolean,
  flags: Uint16Array,
): Uint8Array {
  const { firstOutEdge, edgeTarget, edgeKindAndName, nodeCount, strings } = store;
  const freed = new Uint8Array(nodeCount);
  const closing = new Uint8Array(nodeCount);
  let any = false;
  for (let o = 0; o < nodeCount; o++) {
    if (unreachable[o] && !uncollectable[o] && closesFrame(o)) {
      closing[o] = 1;
      any = true;
    }
  }
  if (!any) return freed;
  const inDegree = new Uint32Array(nodeCount);
  const survivesClosing = (o: number, e: number) =>
    keepsFunction &&
    (flags[o]! & generatorYieldsInTryFlag) === 0 &&
    (edgeKindAndName[e]! >>> edgeKindShift) === EdgeKind.internal &&
    strings.get(edgeNameOf(store, e)) === '(function)';
  const counts = (o: number, e: number) =>
    (!closing[o] || survivesClosing(o, e)) && (edgeKindAndName[e]! >>> edgeKindShift) !== EdgeKind.weak && unreachable[edgeTarget[e]!] === 1;
  for (let o = 0; o < nodeCount; o++) {
    if (!unreachable[o]) continue;
    for (let e = firstOutEdge[o]!; e < firstOutEdge[o + 1]!; e++) if (counts(o, e)) inDegree[edgeTarget[e]!]!++;
  }
  const stack: number[] = [];
  for (let o = 0; o < nodeCount; o++) if (unreachable[o] && !uncollectable[o] && inDegree[o] === 0) stack.push(o);
  while (stack.length > 0) {
    const o = stack.pop()!;
    freed[o] = 1;
    for (let e = firstOutEdge[o]!; e < firstOutEdge[o + 1]!; e++) {
      if (!counts(o, e)) continue;
      const w = edgeTarget[e]!;
      if (--inDegree[w]! === 0 && !uncollectable[w]) stack.push(w);
    }
  }
  return freed;
}

/** handle_weakrefs: weakrefs to dying objects are cleared; callbacks run only for weakrefs that themselves survive. */
function weakrefEffects(
  store: GraphStore,
  unreachable: Uint8Array,
  flags: Uint16Array,
  garbageFlags: Uint16Array,
): { callbackCount: number; clearedCount: number } {
  const { firstOutEdge, edgeTarget, edgeKindAndName, nodeCount } = store;
  let callbackCount = 0;
  let clearedCount = 0;
  for (let o = 0; o < nodeCount; o++) {
    if ((flags[o]! & PyFlag.isWeakref) === 0) continue;
    let referentDies = false;
    let hasCallback = false;
    for (let e = firstOutEdge[o]!; e < firstOutEdge[o + 1]!; e++) {
      if ((edgeKindAndName[e]! >>> edgeKindShift) === EdgeKind.weak) referentDies ||= unreachable[edgeTarget[e]!] === 1;
      else hasCallback = true; // a weakref's only tp_traverse referent is its callback
    }
    if (!referentDies) continue;
    clearedCount++;
    if (hasCallback && !unreachable[o]) {
      garbageFlags[o]! |= GarbageFlag.weakrefCallbackWillRun;
      callbackCount++;
    }
  }
  return { callbackCount, clearedCount };
}
