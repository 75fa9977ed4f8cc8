// Layer 3 (analyses): compare string-table entries with constants without decoding them. DevTools' rules test
// node and edge names ("system / NativeContext", "(map descriptors)", "Detached …") millions of times; comparing
// UTF-8 bytes avoids creating a JS string per test.
import type { StringTable } from '../store/string-table.js';

const encoder = new TextEncoder();

/** A predicate "string `index` equals `value`" that compares bytes (length first, so most misses cost one read). */
export function stringEquals(strings: StringTable, value: string): (index: number) => boolean {
  const wanted = encoder.encode(value);
  const length = wanted.length;
  const bytes = strings.bytes;
  const offsets = strings.offsets;
  return (index: number): boolean => {
    const start = offsets[index]!;
    if (offsets[index + 1]! - start !== length) return false;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== wanted[k]) return false;
    return true;
  };
}

/** A predicate "string `index` starts with `prefix`", byte-wise. */
export function stringStartsWith(strings: StringTable, prefix: string): (index: number) => boolean {
  const wanted = encoder.encode(prefix);
  const length = wanted.length;
  const bytes = strings.bytes;
  const offsets = strings.offsets;
  return (index: number): boolean => {
    const start = offsets[index]!;
    if (offsets[index + 1]! - start < length) return false;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== wanted[k]) return false;
    return true;
  };
}
