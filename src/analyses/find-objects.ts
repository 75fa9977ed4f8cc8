// Layer 3 (analyses): search objects by their class and by their own text (V8 node names — string values, function
// names — and Python reprs), working per distinct string and per class so a multi-million-node heap is one pass.
import type { DerivedIndexes } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import type { StringTable } from '../store/string-table.js';

/** 1 for every string of the table containing `needle` (case-insensitive). O(total string bytes). */
export function stringsContaining(strings: StringTable, needle: string): Uint8Array {
  const lower = needle.toLowerCase();
  const result = new Uint8Array(strings.count);
  for (let i = 0; i < strings.count; i++) {
    // Very long strings (source code, blobs) are checked on a prefix only: a search box should not read megabytes.
    const text = strings.byteLength(i) > 4096 ? strings.get(i).slice(0, 4096) : strings.get(i);
    if (text.toLowerCase().includes(lower)) result[i] = 1;
  }
  return result;
}

export interface FindOptions {
  /** 1 for classes whose objects match outright (type-name matches). */
  readonly classMatches: Uint8Array;
  /** 1 for strings (node names, reprs) that match, or null to match by class only. */
  readonly stringMatches: Uint8Array | null;
  /** Only objects of these classes (1), or null for all. */
  readonly restrictToClasses: Uint8Array | null;
}

export interface FoundObjects {
  /** Ordinals: type matches first, then text matches; each group largest retained first. */
  readonly ordinals: Uint32Array;
  readonly typeMatchCount: number;
}

/** Objects matching by class or by their own text. Skips the synthetic root. O(N + matches log matches). */
export function findObjects(store: GraphStore, derived: DerivedIndexes, options: FindOptions): FoundObjects {
  const byType: number[] = [];
  const byText: number[] = [];
  const { classOf } = derived;
  const reprs = store.python?.repr ?? null;
  const names = store.nodeName;
  for (let i = 0; i < store.nodeCount; i++) {
    if (i === store.rootOrdinal) continue;
    const classIndex = classOf[i]!;
    if (options.restrictToClasses !== null && options.restrictToClasses[classIndex] !== 1) continue;
    if (options.classMatches[classIndex] === 1) byType.push(i);
    else if (options.stringMatches !== null && (options.stringMatches[names[i]!] === 1 || (reprs !== null && reprs[i] !== 0 && options.stringMatches[reprs[i]!] === 1))) byText.push(i);
  }
  const retained = derived.retainedSize;
  const order = (a: number, b: number) => retained[b]! - retained[a]! || a - b;
  byType.sort(order);
  byText.sort(order);
  return { ordinals: Uint32Array.from([...byType, ...byText]), typeMatchCount: byType.length };
}
