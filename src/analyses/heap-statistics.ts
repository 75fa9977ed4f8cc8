// Layer 3 (analyses): DevTools' Statistics pie (calculateStatistics), 2026 build rules, for V8 stores.
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { stringEquals } from './string-match.js';
import { edgeKindShift, edgeNameOf } from '../store/edge-packing.js';

/** Bytes per bucket. `typedArrays` is part of `native`; `v8heap` is total − native. */
export interface HeapStatistics {
  readonly total: number;
  readonly v8heap: number;
  readonly native: number;
  readonly typedArrays: number;
  readonly code: number;
  readonly strings: number;
  readonly jsArrays: number;
  readonly system: number;
}

/**
 * Hidden nodes count as system and nowhere else; native = extra_native_bytes + native nodes; code; strings
 * (flat, concatenated, sliced); JS arrays = nodes named "Array" plus their `elements` store when the array is
 * its only retainer. Uses post-reattribution self sizes, like DevTools. O(N + E).
 */
export function heapStatistics(store: GraphStore, derived: Pick<DerivedIndexes, 'totalSize'>): HeapStatistics {
  const { nodeCount, nodeKind, nodeName, selfSize, firstOutEdge, edgeKindAndName, edgeTarget, firstInEdge } = store;
  const isArrayName = stringEquals(store.strings, 'Array');
  const isElements = stringEquals(store.strings, 'elements');
  const isArrayBufferData = stringEquals(store.strings, 'system / JSArrayBufferData');
  let native = store.v8?.extraNativeBytes ?? 0;
  let typedArrays = 0;
  let code = 0;
  let strings = 0;
  let jsArrays = 0;
  let system = 0;
  for (let i = 0; i < nodeCount; i++) {
    const kind = nodeKind[i];
    const size = selfSize[i]!;
    if (kind === NodeKind.hidden) system += size;
    else if (kind === NodeKind.native) {
      native += size;
      if (isArrayBufferData(nodeName[i]!)) typedArrays += size;
    } else if (kind === NodeKind.code) code += size;
    else if (kind === NodeKind.string || kind === NodeKind.concatenatedString || kind === NodeKind.slicedString) strings += size;
    else if (isArrayName(nodeName[i]!)) {
      jsArrays += size;
      for (let e = firstOutEdge[i]!; e < firstOutEdge[i + 1]!; e++) {
        if ((edgeKindAndName[e]! >>> edgeKindShift) !== EdgeKind.internal || !isElements(edgeNameOf(store, e))) continue;
        const elements = edgeTarget[e]!;
        if (firstInEdge[elements + 1]! - firstInEdge[elements]! === 1) jsArrays += selfSize[elements]!;
        break;
      }
    }
  }
  const total = derived.totalSize;
  return { total, v8heap: total - native, native, typedArrays, code, strings, jsArrays, system };
}
