// Layer 5 (commands): turn an ordinal into the object record every result shows (SPEC §5 fields), and format refs.
import { pythonRef, pythonRepr } from '../formats/pyheap/python-repr.js';
import type { GraphStore } from '../store/graph-store.js';
import { noDistance } from '../store/derived.js';
import { NodeKind } from '../store/kinds.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';
import type { ObjectRecord } from './types.js';

const maxReprChars = 120;

/** Display form of an object id: `@123` for V8, `0x7f…` for Python (as Python's default repr shows it). */
export function formatRef(store: GraphStore, id: number): string {
  return store.language === 'python' ? pythonRef(id) : `@${id}`;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > maxReprChars ? `${oneLine.slice(0, maxReprChars - 1)}…` : oneLine;
}

/** A short value for V8 nodes whose name is their value (strings, numbers, closures, regexps). */
function v8Repr(store: GraphStore, ordinal: number): string | undefined {
  const kind = store.nodeKind[ordinal]!;
  const name = store.strings.get(store.nodeName[ordinal]!);
  switch (kind) {
    case NodeKind.string:
    case NodeKind.concatenatedString:
    case NodeKind.slicedString:
      return JSON.stringify(clip(name));
    case NodeKind.number:
    case NodeKind.bigint:
    case NodeKind.regexp:
      return clip(name);
    case NodeKind.closure:
      return `${name || '(anonymous)'}()`;
    default:
      return undefined;
  }
}

export function objectRecord(snapshot: LoadedSnapshot, ordinal: number): ObjectRecord {
  const { store, derived } = snapshot;
  const id = store.nodeId[ordinal]!;
  const distance = derived.distance[ordinal]!;
  let repr: string | undefined;
  if (store.python) {
    const reprIndex = store.python.repr[ordinal]!;
    // The agent leaves default reprs out of the file (repr index 0); pythonRepr rebuilds them from the type and id.
    repr = reprIndex === 0 && ordinal === store.rootOrdinal ? undefined : clip(pythonRepr(store, ordinal));
  } else {
    repr = v8Repr(store, ordinal);
  }
  return {
    id,
    ref: formatRef(store, id),
    type: derived.classNames[derived.classOf[ordinal]!] ?? '',
    name: clip(store.strings.get(store.nodeName[ordinal]!)),
    kind: store.nodeKindNames[store.nodeKind[ordinal]!] ?? String(store.nodeKind[ordinal]),
    selfSize: store.selfSize[ordinal]!,
    retainedSize: derived.retainedSize[ordinal]!,
    ...(distance === noDistance || distance < 0 ? {} : { distance }),
    ...(repr === undefined ? {} : { repr }),
    snapshot: snapshot.name,
    ordinal,
  };
}
