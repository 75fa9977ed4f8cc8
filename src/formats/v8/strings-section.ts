// Layer 2 (formats): streams the `strings` array of a heap snapshot into a string table one string at a time,
// decoding escapes in place, so no JS string larger than one snapshot string is ever created (the section itself
// can exceed V8's maximum string length, notes/v8-heapsnapshot.md §18).
import { newUint8Array } from '../../base/large-arrays.js';
import { BadInputError, describeByte } from '../../base/errors.js';
import { StringTable } from '../../store/string-table.js';
import { isWhitespace } from './json-skipper.js';
import { JsonStringDecoder, findStringEnd, stringComplete } from './string-decoder.js';

const maxStringBytes = 1 << 30;

const enum State {
  FirstOrClose,
  Next,
  After,
  /** Inside a string that began in an earlier chunk; its raw bytes collect in `scratch`. */
  Spanning,
}

/** Parses the body of a JSON array of strings (after its '['); `feed` returns the position after ']' or -1. */
export class StringsSection {
  private readonly builder: StringBytesBuilder;
  private readonly decoder = new JsonStringDecoder();
  private state = State.FirstOrClose;
  private scratch = new Uint8Array(1 << 12);
  private scratchLength = 0;
  private escaped = false;
  /** Absolute offset of the first byte of the spanning string's body. */
  private stringStart = 0;

  /** @param expectedBytes upper bound or guess of the decoded size (decoded strings are never longer than their JSON form) */
  constructor(
    private readonly file: string,
    expectedBytes: number,
  ) {
    this.builder = new StringBytesBuilder(expectedBytes);
  }

  /** The table of all strings read (views of the builder's buffers, no copy). */
  build(): StringTable {
    return this.builder.build();
  }

  get expecting(): string {
    if (this.state === State.Spanning) return 'the end of a string';
    return this.state === State.After ? "',' or ']'" : 'a string';
  }

  feed(bytes: Uint8Array, start: number, end: number, base: number): number {
    let i = start;
    while (i < end) {
      if (this.state === State.Spanning) {
        i = this.continueSpanning(bytes, i, end);
        continue;
      }
      const c = bytes[i]!;
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      if (this.state === State.After) {
        if (c === 0x2c) this.state = State.Next;
        else if (c === 0x5d) return i + 1;
        else this.fail(base + i, "',' or ']'", c);
        i++;
        continue;
      }
      if (c === 0x5d && this.state === State.FirstOrClose) return i + 1;
      if (c !== 0x22) this.fail(base + i, this.state === State.Next ? 'a string' : "a string or ']'", c);
      i = this.startString(bytes, i + 1, end, base);
    }
    return -1;
  }

  /** Decode a string whose body starts at `bodyStart`; in one go when it ends in this chunk (the common case). */
  private startString(bytes: Uint8Array, bodyStart: number, end: number, base: number): number {
    const room = this.builder.reserve(end - bodyStart);
    const decoder = this.decoder;
    const status = decoder.decode(bytes, bodyStart, end, room.buffer, room.position);
    if (status === stringComplete) {
      this.builder.commitReserved(decoder.written);
      this.state = State.After;
      return decoder.sourceEnd;
    }
    if (status !== 1) this.failDecode(base + decoder.errorPosition);
    const close = findStringEnd(bytes, bodyStart, end, false);
    // A quote in this chunk after an incomplete decode means a truncated \u escape right before it.
    if (close >= 0) throw new BadInputError(this.file, base + close, 'a hex digit in a \\u escape', describeByte(0x22));
    this.stringStart = base + bodyStart;
    this.scratchLength = 0;
    this.append(bytes, bodyStart, end);
    this.escaped = close === -2;
    this.state = State.Spanning;
    return end;
  }

  private continueSpanning(bytes: Uint8Array, start: number, end: number): number {
    const close = findStringEnd(bytes, start, end, this.escaped);
    if (close < 0) {
      this.append(bytes, start, end);
      this.escaped = close === -2;
      return end;
    }
    this.append(bytes, start, close + 1);
    const length = this.scratchLength;
    const room = this.builder.reserve(length);
    const decoder = this.decoder;
    const status = decoder.decode(this.scratch, 0, length, room.buffer, room.position);
    if (status !== stringComplete) {
      if (status === 1) throw new BadInputError(this.file, this.stringStart + length - 1, 'a hex digit in a \\u escape', describeByte(0x22));
      this.failDecode(this.stringStart + decoder.errorPosition);
    }
    this.builder.commitReserved(decoder.written);
    // Let a huge one-off string's scratch space go rather than holding it for the rest of the section.
    if (this.scratch.length > 1 << 24) this.scratch = new Uint8Array(1 << 12);
    this.state = State.After;
    return close + 1;
  }

  private append(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.scratchLength + (end - start);
    // V8 truncates snapshot strings to 1024 characters by default; a gigabyte-long one is damage, not data.
    if (needed > maxStringBytes) throw new BadInputError(this.file, this.stringStart + needed, `a string shorter than ${maxStringBytes} bytes`);
    if (needed > this.scratch.length) {
      let capacity = this.scratch.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.scratch.subarray(0, this.scratchLength));
      this.scratch = grown;
    }
    this.scratch.set(bytes.subarray(start, end), this.scratchLength);
    this.scratchLength = needed;
  }

  private failDecode(offset: number): never {
    throw new BadInputError(this.file, offset, this.decoder.errorExpected);
  }

  private fail(offset: number, expected: string, byte: number): never {
    throw new BadInputError(this.file, offset, expected, describeByte(byte));
  }
}

/**
 * Like the store's StringTableBuilder, but `build` returns views instead of trimmed copies: on a big snapshot the
 * copies would be transient hundreds of MB at the moment the store is assembled, which breaks the peak-RSS budget.
 * The byte buffer is sized once from the bytes left in the file (an upper bound: decoded strings are never longer
 * than their JSON form), and pages never written are never resident.
 */
class StringBytesBuilder {
  private bytes: Uint8Array;
  private length = 0;
  private offsets = new Float64Array(1024);
  private count = 0;

  constructor(expectedBytes: number) {
    this.bytes = newUint8Array(Math.min(Math.max(expectedBytes, 1 << 12), 2 ** 32 - 1));
  }

  /** Room for `extra` more bytes; returns the buffer to write at `position` (valid until the next reserve). */
  reserve(extra: number): { buffer: Uint8Array; position: number } {
    const needed = this.length + extra;
    if (needed > this.bytes.length) {
      let capacity = this.bytes.length;
      while (capacity < needed) capacity = capacity < 1 << 30 ? capacity * 2 : capacity + (1 << 30);
      const grown = newUint8Array(capacity);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    return { buffer: this.bytes, position: this.length };
  }

  commitReserved(written: number): void {
    if (this.count + 2 > this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.length += written;
    this.offsets[++this.count] = this.length;
  }

  build(): StringTable {
    return new StringTable(this.bytes.subarray(0, this.length), this.offsets.subarray(0, this.count + 1), this.count);
  }
}
