// Layer 3 (analyses): recognise V8's WeakMap ephemeron edge names. Each WeakMap entry appears as two `internal`
// edges to the value, one from the table and one from the key, named
// "<n> / part of key (<K> @<id>) -> value (<V> @<id>) pair in WeakMap (table @<tableId>)" (DevTools
// tryParseWeakMapEdgeName). Results are cached per string index, never per heap object.
import type { StringTable } from '../store/string-table.js';

const ephemeronName = /^\d+( \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$/;
// Shortest possible match is well over 40 bytes; short names ("map", "elements") are rejected without decoding.
const minimumNameBytes = 60;

/**
 * Lazily parses edge names. `pairOf(stringIndex)` gives a dense pair id shared by the two edges of one entry
 * (their names differ only in the leading auto-index), or -1; `tableIdOf(pair)` is the WeakMap table's node id.
 */
export class EphemeronNames {
  private readonly strings: StringTable;
  /** -2 not parsed yet, -1 not an ephemeron name, otherwise the pair id. */
  private readonly pairByString: Int32Array;
  /** Keyed by the shared part of a name: one entry per WeakMap entry, not per object. */
  private readonly pairByDuplicatedPart = new Map<string, number>();
  private readonly tableIds: number[] = [];

  constructor(strings: StringTable) {
    this.strings = strings;
    this.pairByString = new Int32Array(strings.count).fill(-2);
  }

  get pairCount(): number {
    return this.tableIds.length;
  }

  pairOf(stringIndex: number): number {
    const cached = this.pairByString[stringIndex]!;
    if (cached !== -2) return cached;
    let pair = -1;
    const strings = this.strings;
    const first = strings.bytes[strings.offsets[stringIndex]!];
    if (strings.byteLength(stringIndex) >= minimumNameBytes && first !== undefined && first >= 0x30 && first <= 0x39) {
      const match = ephemeronName.exec(strings.get(stringIndex));
      if (match) {
        const duplicatedPart = match[1]!;
        const known = this.pairByDuplicatedPart.get(duplicatedPart);
        if (known !== undefined) pair = known;
        else {
          pair = this.tableIds.length;
          this.tableIds.push(Number(match[2]));
          this.pairByDuplicatedPart.set(duplicatedPart, pair);
        }
      }
    }
    this.pairByString[stringIndex] = pair;
    return pair;
  }

  tableIdOf(pair: number): number {
    return this.tableIds[pair]!;
  }
}
