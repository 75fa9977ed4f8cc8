// Layer 5 (commands): list an object's referents or retainers as edge rows, paged.
import { edgeView } from './edge-label.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';
import { objectRecord } from './records.js';
import type { EdgeView, ObjectRecord, Page } from './types.js';
import { sourceOfEdge } from '../store/edge-source.js';
import { edgeKindOf } from '../store/edge-packing.js';

export interface EdgeRows {
  readonly edges: { readonly edge: EdgeView; readonly object: ObjectRecord }[];
  readonly page: Page;
}

/** Outgoing edges of `ordinal` in snapshot order, rows offset..offset+limit-1. */
export function referentRows(snapshot: LoadedSnapshot, ordinal: number, offset: number, limit: number): EdgeRows {
  const { store } = snapshot;
  const first = store.firstOutEdge[ordinal]!;
  const end = store.firstOutEdge[ordinal + 1]!;
  const total = end - first;
  const edges = [];
  for (let e = first + offset; e < end && edges.length < limit; e++) {
    edges.push({ edge: edgeView(store, e), object: objectRecord(snapshot, store.edgeTarget[e]!) });
  }
  return { edges, page: { offset, shown: edges.length, total } };
}

/** Incoming edges of `ordinal`, nearest-to-root retainers first (the DevTools Retainers order). */
export function retainerRows(snapshot: LoadedSnapshot, ordinal: number, offset: number, limit: number, includeWeak: boolean): EdgeRows {
  const { store, derived } = snapshot;
  const weakKind = store.edgeKindNames.indexOf('weak');
  const first = store.firstInEdge[ordinal]!;
  const end = store.firstInEdge[ordinal + 1]!;
  const candidates: number[] = [];
  for (let r = first; r < end; r++) {
    const edge = store.inEdgeOrdinal[r]!;
    if (!includeWeak && edgeKindOf(store, edge) === weakKind) continue;
    candidates.push(r);
  }
  const distanceOf = (r: number) => {
    const d = derived.distance[sourceOfEdge(store, store.inEdgeOrdinal[r]!)]!;
    return d < 0 ? Number.MAX_SAFE_INTEGER : d;
  };
  candidates.sort((a, b) => distanceOf(a) - distanceOf(b) || a - b);
  const edges = candidates.slice(offset, offset + limit).map((r) => ({
    edge: edgeView(store, store.inEdgeOrdinal[r]!),
    object: objectRecord(snapshot, sourceOfEdge(store, store.inEdgeOrdinal[r]!)),
  }));
  return { edges, page: { offset, shown: edges.length, total: candidates.length } };
}
