// Layer 3 (analyses): record the collector's verdict in the derived flags (NodeFlag.garbage), so it is persisted in
// the index file and every command (show, cycles --garbage, summary) can see it without recomputing.
import type { CancelToken } from '../base/cancel.js';
import { NodeFlag, type DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { computePythonGarbage, type PythonGarbageResult } from './python-unreachable.js';

/** Set NodeFlag.garbage on every object gc.collect() would free now. Python stores only; O(N + E). */
export function markPythonGarbage(store: GraphStore, derived: DerivedIndexes, cancel?: CancelToken): PythonGarbageResult | null {
  if (store.language !== 'python') return null;
  const result = computePythonGarbage(store, cancel ? { cancel } : {});
  const flags = derived.nodeFlags;
  const collected = result.collected;
  for (let i = 0; i < store.nodeCount; i++) if (collected[i] === 1) flags[i] = flags[i]! | NodeFlag.garbage;
  return result;
}
