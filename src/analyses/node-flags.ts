// Layer 3 (analyses): per-node flag bits for V8 stores, as DevTools JSHeapSnapshot.calculateFlags computes them
// (detached DOM nodes, queryable objects, page-owned objects), plus DOM-state propagation (propagateDOMState).
import { newUint32Array, newUint8Array } from '../base/large-arrays.js';
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import { NodeFlag } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { stringEquals, stringStartsWith } from './string-match.js';
import { edgeKindShift } from '../store/edge-packing.js';

const detachedState = 2;
const attachedState = 1;

/**
 * DevTools propagateDOMState, without renaming: returns the propagated detachedness per node (0 unknown,
 * 1 attached, 2 detached), or null when the snapshot has no detachedness field. Only `native` nodes take a
 * state; it flows over edges that are not hidden or weak, attached first, and attached wins. DevTools renames
 * detached nodes to "Detached <name>"; gcsh keeps names and reads this column (NodeFlag.detachedDomNode) instead.
 */
export function propagateDomState(store: GraphStore): Uint8Array | null {
  const raw = store.v8?.detachedness;
  if (!raw) return null;
  const nodeCount = store.nodeCount;
  const state = Uint8Array.from(raw);
  const visited = newUint8Array(nodeCount);
  const attached = newUint32Array(nodeCount);
  const detached = newUint32Array(nodeCount);
  let attachedLength = 0;
  let detachedLength = 0;
  const { nodeKind, firstOutEdge, edgeTarget, edgeKindAndName } = store;
  const visit = (node: number, newState: number): void => {
    if (visited[node]) return;
    visited[node] = 1;
    // JavaScript objects do not carry DOM state; every embedder entry point knows its own.
    if (nodeKind[node] !== NodeKind.native) return;
    state[node] = newState;
    if (newState === attachedState) attached[attachedLength++] = node;
    else if (newState === detachedState) detached[detachedLength++] = node;
  };
  for (let i = 0; i < nodeCount; i++) if (raw[i] !== 0) visit(i, raw[i]!);
  const spread = (parent: number, newState: number): void => {
    const end = firstOutEdge[parent + 1]!;
    for (let e = firstOutEdge[parent]!; e < end; e++) {
      const kind = edgeKindAndName[e]! >>> edgeKindShift;
      if (kind === EdgeKind.hidden || kind === EdgeKind.weak) continue;
      visit(edgeTarget[e]!, newState);
    }
  };
  while (attachedLength > 0) spread(attached[--attachedLength]!, attachedState);
  while (detachedLength > 0) {
    const node = detached[--detachedLength]!;
    if (state[node] === attachedState) continue;
    spread(node, detachedState);
  }
  return state;
}

/**
 * DevTools calculateFlags: detachedDomNode (native, name starts with "Detached " or propagated state detached),
 * canBeQueried (DFS from non-synthetic root children over edges that are not hidden, internal or weak) and
 * pageObject (DFS over non-weak edges from shortcut children of the root and "(Document DOM trees)"). O(N + E).
 */
export function computeV8NodeFlags(store: GraphStore, domState: Uint8Array | null, cancel?: CancelToken): Uint8Array {
  const nodeCount = store.nodeCount;
  const flags = new Uint8Array(nodeCount);
  if (nodeCount === 0) return flags;
  const { nodeKind, nodeName, firstOutEdge, edgeTarget, edgeKindAndName, rootOrdinal } = store;
  const startsDetached = stringStartsWith(store.strings, 'Detached ');
  for (let i = 0; i < nodeCount; i++) {
    if (nodeKind[i] !== NodeKind.native) continue;
    if (startsDetached(nodeName[i]!) || (domState !== null && domState[i] === detachedState)) flags[i] |= NodeFlag.detachedDomNode;
  }
  const stack = newUint32Array(nodeCount);
  let length = 0;
  // canBeQueried: DevTools uses node.isUserRoot() here (non-synthetic only, not "(Document DOM trees)").
  const queried = NodeFlag.canBeQueried;
  // Nodes are marked when pushed (DevTools marks when popped; the marked set is the same) so the stack
  // never holds more than N entries.
  for (let e = firstOutEdge[rootOrdinal]!; e < firstOutEdge[rootOrdinal + 1]!; e++) {
    const child = edgeTarget[e]!;
    if (nodeKind[child] === NodeKind.synthetic || flags[child]! & queried) continue;
    flags[child] |= queried;
    stack[length++] = child;
  }
  let iterations = 0;
  while (length > 0) {
    if ((++iterations & 0xffff) === 0) throwIfCancelled(cancel);
    const node = stack[--length]!;
    const end = firstOutEdge[node + 1]!;
    for (let e = firstOutEdge[node]!; e < end; e++) {
      const child = edgeTarget[e]!;
      if (flags[child]! & queried) continue;
      const kind = edgeKindAndName[e]! >>> edgeKindShift;
      if (kind === EdgeKind.hidden || kind === EdgeKind.internal || kind === EdgeKind.weak) continue;
      flags[child] |= queried;
      stack[length++] = child;
    }
  }
  markPageOwned(store, flags, cancel);
  return flags;
}

function markPageOwned(store: GraphStore, flags: Uint8Array, cancel: CancelToken | undefined): void {
  const { nodeKind, nodeName, firstOutEdge, edgeTarget, edgeKindAndName, rootOrdinal } = store;
  const isDomTrees = stringEquals(store.strings, '(Document DOM trees)');
  const page = NodeFlag.pageObject;
  const stack = new Uint32Array(store.nodeCount);
  let length = 0;
  for (let e = firstOutEdge[rootOrdinal]!; e < firstOutEdge[rootOrdinal + 1]!; e++) {
    const kind = edgeKindAndName[e]! >>> edgeKindShift;
    const child = edgeTarget[e]!;
    if (kind === EdgeKind.element) {
      if (nodeKind[child] !== NodeKind.synthetic || !isDomTrees(nodeName[child]!)) continue;
    } else if (kind !== EdgeKind.shortcut) continue;
    if (flags[child]! & page) continue;
    flags[child] |= page;
    stack[length++] = child;
  }
  let iterations = 0;
  while (length > 0) {
    if ((++iterations & 0xffff) === 0) throwIfCancelled(cancel);
    const node = stack[--length]!;
    const end = firstOutEdge[node + 1]!;
    for (let e = firstOutEdge[node]!; e < end; e++) {
      const child = edgeTarget[e]!;
      if (flags[child]! & page || (edgeKindAndName[e]! >>> edgeKindShift) === EdgeKind.weak) continue;
      flags[child] |= page;
      stack[length++] = child;
    }
  }
}
