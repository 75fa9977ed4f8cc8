// Layer 3 (analyses): the derived-column pipeline. For V8 it runs DevTools' initialize() order exactly
// (DOM state → flags → distances → shallow sizes → essential edges → Lengauer–Tarjan → retained sizes → class
// names with interface inference) so numbers equal Chrome DevTools'; Python gets plain BFS and dominators.
import type { CancelToken, ProgressSink } from '../base/cancel.js';
import { throwIfCancelled } from '../base/cancel.js';
import { NodeFlag, noDistance, type DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { computeClassNames, type InterfaceDefinition } from './class-names.js';
import { computeDominators } from './dominators.js';
import { computeRootDistances, computeV8Distances } from './distances.js';
import { EphemeronNames } from './ephemeron-names.js';
import { computeEssentialEdges } from './essential-edges.js';
import { computeV8NodeFlags, propagateDomState } from './node-flags.js';
import { reattributeShallowSizes } from './shallow-sizes.js';

export interface ComputeDerivedOptions {
  /** Called at the start and end of each phase: distances, flags, shallow-sizes, dominators, classes. */
  progress?: ProgressSink;
  /** Checked every 65,536 iterations of each phase's outer loop; cancellation throws CancelledError. */
  cancel?: CancelToken;
}

/**
 * Compute every derived column. V8: mutates store.selfSize in place by DevTools' shallow-size reattribution
 * (only when the root has user roots; idempotent, so a second call changes nothing). Python: no reattribution,
 * distances by BFS from the root over non-weak edges, dominators over the same edges, class = node name;
 * NodeFlag.garbage is left to the Python unreachable analysis. O(E log N) time, O(N + E) extra memory.
 */
export function computeDerived(store: GraphStore, options: ComputeDerivedOptions = {}): DerivedIndexes {
  const progress = options.progress ?? (() => {});
  const cancel = options.cancel;
  const nodeCount = store.nodeCount;
  const v8 = store.language === 'v8';
  const phase = <T>(name: string, run: () => T): T => {
    throwIfCancelled(cancel);
    progress(name, 0, nodeCount);
    const result = run();
    progress(name, nodeCount, nodeCount);
    return result;
  };
  const ephemerons = v8 ? new EphemeronNames(store.strings) : null;
  const domState = v8 ? propagateDomState(store) : null;
  const nodeFlags = phase('flags', () => (v8 ? computeV8NodeFlags(store, domState, cancel) : new Uint8Array(nodeCount)));
  const distance = phase('distances', () =>
    v8 ? computeV8Distances(store, cancel, ephemerons ?? undefined) : computeRootDistances(store, cancel),
  );
  for (let i = 0; i < nodeCount; i++) if (distance[i] === noDistance) nodeFlags[i] |= NodeFlag.unreachable;
  if (v8) phase('shallow-sizes', () => reattributeShallowSizes(store, cancel));
  const dominators = phase('dominators', () => {
    const essential = computeEssentialEdges(store, v8 ? nodeFlags : null, ephemerons, cancel);
    return computeDominators(store, essential, store.selfSize, cancel);
  });
  const classes = phase('classes', () => computeClassNames(store, domState, cancel));
  const extraNativeBytes = store.v8?.extraNativeBytes ?? 0;
  return {
    distance,
    dominator: dominators.dominator,
    retainedSize: dominators.retainedSize,
    nodeFlags,
    classOf: classes.classOf,
    classNames: classes.classNames,
    totalSize: nodeCount === 0 ? extraNativeBytes : dominators.retainedSize[store.rootOrdinal]! + extraNativeBytes,
  };
}

/**
 * Classes of `store` under another snapshot's interface definitions (from inferInterfaceDefinitions on the newer
 * snapshot), so both sides of a comparison share class keys as DevTools' aggregatesForDiff does. V8 only; a
 * Python store's classes do not depend on interfaces. O(N + E).
 */
export function classNamesWithInterfaces(
  store: GraphStore,
  interfaces: readonly InterfaceDefinition[],
  cancel?: CancelToken,
): Pick<DerivedIndexes, 'classOf' | 'classNames'> {
  const { classOf, classNames } = computeClassNames(store, store.language === 'v8' ? propagateDomState(store) : null, cancel, interfaces);
  return { classOf, classNames };
}
