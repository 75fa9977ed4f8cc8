// Layer 2 (formats): the display repr of a node in a Python store. The agent leaves default reprs out of the file
// (repr index 0) because they follow from the type name and id, as CPython's object.__repr__ builds them.
import type { GraphStore } from '../../store/graph-store.js';

/** `0x7f3a2c1d5e80`: a Python id in the hex form Python's default repr shows (SPEC §3). */
export function pythonRef(id: number): string {
  return `0x${id.toString(16)}`;
}

/**
 * The repr to show for `ordinal`: the agent's safe repr, or `<module.Type object at 0x…>` when it wrote none (default
 * repr, reprs switched off, or the repr time budget ran out). The synthetic root shows its name.
 */
export function pythonRepr(store: GraphStore, ordinal: number): string {
  const index = store.python?.repr[ordinal] ?? 0;
  if (index !== 0) return store.strings.get(index);
  const typeName = store.strings.get(store.nodeName[ordinal]!);
  if (ordinal === store.rootOrdinal) return typeName;
  return `<${typeName} object at ${pythonRef(store.nodeId[ordinal]!)}>`;
}
