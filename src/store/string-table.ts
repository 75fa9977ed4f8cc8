// Layer 1 (store): a compact string table. All strings live in one UTF-8 byte buffer with Float64 offsets
// (a big snapshot's strings can exceed both V8's max string length and 4 GiB of bytes), and JS strings are
// materialised one at a time, on demand.

export class StringTable {
  /** UTF-8 bytes of all strings, back to back. */
  readonly bytes: Uint8Array;
  /** offsets[i]..offsets[i+1] are the bytes of string i; length count+1. */
  readonly offsets: Float64Array;
  readonly count: number;

  constructor(bytes: Uint8Array, offsets: Float64Array, count: number) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.count = count;
  }

  /** The string at `index`, decoded from UTF-8. Throws RangeError when out of range. */
  get(index: number): string {
    if (index < 0 || index >= this.count) throw new RangeError(`string index ${index} out of range (count ${this.count})`);
    const start = this.offsets[index]!;
    const end = this.offsets[index + 1]!;
    if (end === start) return '';
    return textDecoder.decode(this.bytes.subarray(start, end));
  }

  /** Byte length of string `index` (cheap, no decoding). */
  byteLength(index: number): number {
    return this.offsets[index + 1]! - this.offsets[index]!;
  }

  /** Total UTF-8 bytes held. */
  get totalBytes(): number {
    return this.offsets[this.count]!;
  }
}

const textDecoder = new TextDecoder('utf-8');
const textEncoder = new TextEncoder();

/**
 * Appends strings into a growing byte buffer. Readers use `appendBytes` with already-encoded UTF-8 to avoid
 * creating JS strings at all; `append` is for small tables built from JS strings (tests, Python reader).
 */
export class StringTableBuilder {
  private bytes: Uint8Array;
  private byteLength = 0;
  private offsets: Float64Array;
  private count = 0;

  constructor(expectedCount = 1024, expectedBytes = 64 * 1024) {
    this.bytes = new Uint8Array(Math.max(16, expectedBytes));
    this.offsets = new Float64Array(Math.max(2, expectedCount + 1));
  }

  get size(): number {
    return this.count;
  }

  /** Append a JS string; returns its index. */
  append(value: string): number {
    return this.appendBytes(textEncoder.encode(value));
  }

  /** Append UTF-8 bytes (copied); returns the new string's index. */
  appendBytes(utf8: Uint8Array, start = 0, end = utf8.length): number {
    const length = end - start;
    this.ensureBytes(length);
    this.bytes.set(utf8.subarray(start, end), this.byteLength);
    this.byteLength += length;
    return this.finishString();
  }

  /** Reserve room for `length` more bytes and return the buffer and write position (for in-place decoding). */
  reserve(length: number): { buffer: Uint8Array; position: number } {
    this.ensureBytes(length);
    return { buffer: this.bytes, position: this.byteLength };
  }

  /** Complete a string written in place after `reserve`: `length` bytes were written at the position. */
  commitReserved(length: number): number {
    this.byteLength += length;
    return this.finishString();
  }

  build(): StringTable {
    const offsets = this.offsets.slice(0, this.count + 1);
    const bytes = this.bytes.byteLength === this.byteLength ? this.bytes : this.bytes.slice(0, this.byteLength);
    return new StringTable(bytes, offsets, this.count);
  }

  private finishString(): number {
    if (this.count + 2 > this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const index = this.count++;
    this.offsets[this.count] = this.byteLength;
    return index;
  }

  private ensureBytes(extra: number): void {
    const needed = this.byteLength + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length;
    while (capacity < needed) capacity = capacity < 1 << 30 ? capacity * 2 : capacity + (1 << 30);
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.byteLength));
    this.bytes = grown;
  }
}
