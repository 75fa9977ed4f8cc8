// Layer 3 (analyses): strongly connected components by an iterative Tarjan over typed arrays. Chains of
// millions of nodes use explicit Uint32Array stacks, never the JS call stack.
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind } from '../store/kinds.js';
import { edgeKindShift } from '../store/edge-packing.js';

export interface SccOptions {
  /** Follow weak edges too; default false (weak edges do not keep anything alive). */
  includeWeak?: boolean;
  /** Nodes marked 1 are left out: they become singleton components and no edge into or out of them is followed. */
  skipNode?: Uint8Array;
  /** Edges marked 1 are not followed. */
  skipEdge?: Uint8Array;
  cancel?: CancelToken;
}

/** Invariant: firstMember[componentCount] === nodeCount; members of c are firstMember[c]..firstMember[c+1]-1. */
export interface StronglyConnectedComponents {
  /** Component index of every node. Components are numbered in completion order (reverse topological order). */
  readonly componentOf: Uint32Array;
  readonly componentCount: number;
  readonly firstMember: Uint32Array;
  /** Node ordinals grouped by component, ascending within a component. */
  readonly members: Uint32Array;
}

/**
 * Pearce's space-efficient variant of Tarjan's algorithm ("A space-efficient algorithm for finding strongly
 * connected components", IPL 2016), iterative. One rindex array replaces Tarjan's index, lowlink and on-stack
 * arrays, so each edge costs one random read. O(N + E) time.
 */
export function stronglyConnectedComponents(store: GraphStore, options: SccOptions = {}): StronglyConnectedComponents {
  const { nodeCount, firstOutEdge, edgeTarget, edgeKindAndName } = store;
  const skipNode = options.skipNode;
  const skipEdge = options.skipEdge;
  const weak = options.includeWeak ? -1 : EdgeKind.weak;
  // With weak edges included the kind is never read (a 4-byte load per edge saved).
  const checkWeak = weak !== -1;
  const cancel = options.cancel;
  // rindex: 0 unvisited; while active, a visit index (< c); once done, the component number c counting down
  // from nodeCount - 1, so finished nodes never look smaller than active ones.
  const rindex = new Uint32Array(nodeCount);
  const isRoot = new Uint8Array(nodeCount);
  const stack = new Uint32Array(nodeCount);
  const callNode = new Uint32Array(nodeCount);
  const callEdge = new Uint32Array(nodeCount);
  let stackTop = 0;
  let index = 1;
  let c = nodeCount - 1;
  let iterations = 0;
  for (let start = 0; start < nodeCount; start++) {
    if (rindex[start] !== 0) continue;
    rindex[start] = index++;
    isRoot[start] = 1;
    callNode[0] = start;
    callEdge[0] = skipNode !== undefined && skipNode[start] ? firstOutEdge[start + 1]! : firstOutEdge[start]!;
    let depth = 1;
    while (depth > 0) {
      if ((++iterations & 0xffff) === 0) throwIfCancelled(cancel);
      const v = callNode[depth - 1]!;
      const end = firstOutEdge[v + 1]!;
      let e = callEdge[depth - 1]!;
      let descended = false;
      let rv = rindex[v]!;
      for (; e < end; e++) {
        if ((checkWeak && edgeKindAndName[e]! >>> edgeKindShift === weak) || (skipEdge !== undefined && skipEdge[e])) continue;
        const w = edgeTarget[e]!;
        const rw = rindex[w]!;
        if (rw === 0) {
          if (skipNode !== undefined && skipNode[w]) continue;
          // Descend; this edge is looked at again on return, which performs the post-visit min.
          callEdge[depth - 1] = e;
          rindex[w] = index++;
          isRoot[w] = 1;
          callNode[depth] = w;
          callEdge[depth] = firstOutEdge[w]!;
          depth++;
          descended = true;
          break;
        }
        if (rw < rv) {
          rv = rw;
          isRoot[v] = 0;
        }
      }
      rindex[v] = rv;
      if (descended) continue;
      depth--;
      if (isRoot[v]) {
        index--;
        while (stackTop > 0 && rv <= rindex[stack[stackTop - 1]!]!) {
          rindex[stack[--stackTop]!] = c;
          index--;
        }
        rindex[v] = c--;
      } else stack[stackTop++] = v;
    }
  }
  const componentCount = nodeCount - 1 - c;
  const componentOf = new Uint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) componentOf[i] = nodeCount - 1 - rindex[i]!;
  const firstMember = new Uint32Array(componentCount + 1);
  for (let i = 0; i < nodeCount; i++) firstMember[componentOf[i]! + 1]++;
  for (let c = 0; c < componentCount; c++) firstMember[c + 1] += firstMember[c]!;
  const cursor = firstMember.slice(0, componentCount);
  const members = new Uint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) members[cursor[componentOf[i]!]++] = i;
  return { componentOf, componentCount, firstMember, members };
}
