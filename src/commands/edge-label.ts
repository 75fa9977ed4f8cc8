// Layer 5 (commands): edges as users read them — access-style labels (`.attr`, `['key']`, `[3]`, `local 'x'`,
// `closure 'v'`, `context 'v'`) shared by show, referents, retainers and cycles.
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind, edgeHasNoName, edgeNameIsIndex } from '../store/kinds.js';
import type { EdgeView } from './types.js';
import { edgeKindOf, edgeNameOf } from '../store/edge-packing.js';

const identifier = /^[A-Za-z_$][\w$]*$/;

function quoted(text: string): string {
  return `'${text.length > 60 ? `${text.slice(0, 57)}…` : text}'`;
}

/** The label of edge `edge` (an edge ordinal). */
export function edgeView(store: GraphStore, edge: number): EdgeView {
  const kind = edgeKindOf(store, edge);
  const kindName = store.edgeKindNames[kind] ?? String(kind);
  if (edgeHasNoName(kind)) return { kind: kindName, label: 'member' };
  if (edgeNameIsIndex(kind)) {
    const index = edgeNameOf(store, edge);
    return { kind: kindName, label: kind === EdgeKind.hidden ? `hidden [${index}]` : `[${index}]` };
  }
  const name = store.strings.get(edgeNameOf(store, edge));
  // Python attribute names are identifiers; other property names are the agent's descriptions of root references
  // (`sys.modules['json']`, `(held from outside the tracked heap)`), shown as written.
  if (store.language === 'python' && kind === EdgeKind.property && !identifier.test(name)) return { kind: kindName, label: name };
  return { kind: kindName, label: labelFor(kind, kindName, name) };
}

function labelFor(kind: number, kindName: string, name: string): string {
  switch (kind) {
    case EdgeKind.property:
      if (name.startsWith('[') || name.startsWith('.')) return name;
      return identifier.test(name) ? `.${name}` : `[${quoted(name)}]`;
    case EdgeKind.key:
      return name.startsWith('[') ? name : `[${name}]`;
    case EdgeKind.context:
      return `context ${quoted(name)}`;
    case EdgeKind.local:
      return `local ${quoted(name)}`;
    case EdgeKind.closure:
      return `closure ${quoted(name)}`;
    case EdgeKind.internal:
      return name;
    case EdgeKind.shortcut:
      return `shortcut ${quoted(name)}`;
    case EdgeKind.weak:
      return `weak ${name}`;
    default:
      return `${kindName} ${quoted(name)}`;
  }
}

/** Whether an edge kind keeps its target alive. */
export function isWeakEdgeKind(kind: number): boolean {
  return kind === EdgeKind.weak;
}
