// Layer 3 (analyses): the chain of immediate dominators from an object up to the root.
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';

/**
 * Ordinals from `ordinal` itself, through each immediate dominator, to the root (last). Every listed node must
 * be freed (or stop referencing the next one down) before the object can be collected. O(depth).
 */
export function dominatorChain(store: GraphStore, derived: Pick<DerivedIndexes, 'dominator'>, ordinal: number): number[] {
  const chain = [ordinal];
  const root = store.rootOrdinal;
  const dominator = derived.dominator;
  let node = ordinal;
  // The dominator tree is a tree rooted at the root; the bound only protects against a corrupt index file.
  for (let steps = 0; node !== root && steps < store.nodeCount; steps++) {
    node = dominator[node]!;
    chain.push(node);
  }
  return chain;
}
