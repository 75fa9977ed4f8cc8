// Layer 2 (formats): the hot loop of the V8 reader. Parses a JSON array of non-negative integers straight from
// bytes into a reusable batch (values plus the byte offset of each, for error messages) and hands full batches to a
// sink, so `nodes` and `edges` never exist as JS numbers arrays or strings.
import { BadInputError, describeByte } from '../../base/errors.js';
import { isWhitespace } from './json-skipper.js';

/** Receives parsed numbers in batches; `count` is a multiple of the scanner's stride except in the last batch. */
export interface NumberBatchSink {
  accept(values: Float64Array, offsets: Float64Array, count: number): void;
}

const enum State {
  FirstValueOrClose,
  Value,
  InNumber,
  AfterNumber,
}

const maxSafe = Number.MAX_SAFE_INTEGER;

export class NumberArrayScanner {
  private readonly values: Float64Array;
  private readonly offsets: Float64Array;
  private readonly capacity: number;
  private count = 0;
  private state = State.FirstValueOrClose;
  private value = 0;
  private numberStart = 0;
  private sink: NumberBatchSink;
  private readonly stride: number;

  /**
   * @param file label used in BadInputError messages
   * @param stride row width; batches hold whole rows so sinks never see a row split across two calls
   */
  constructor(
    private readonly file: string,
    stride: number,
    sink: NumberBatchSink,
  ) {
    this.capacity = Math.max(1, Math.floor(4096 / stride)) * stride; // 64 KiB of batch: cache-resident, cheap to allocate
    this.values = new Float64Array(this.capacity);
    this.offsets = new Float64Array(this.capacity);
    this.sink = sink;
    this.stride = stride;
  }

  /**
   * At a value boundary (before the array's first number, or after a ','), hand the buffered values to the sink
   * now. Returns false, doing nothing, anywhere else or when the buffered values are not whole rows.
   */
  flushAtValueBoundary(): boolean {
    if (this.state !== State.Value && this.state !== State.FirstValueOrClose) return false;
    if (this.count % this.stride !== 0) return false;
    if (this.count > 0) this.sink.accept(this.values, this.offsets, this.count);
    this.count = 0;
    return true;
  }

  /** What the scanner waits for, for end-of-file messages. */
  get expecting(): string {
    return this.state === State.AfterNumber || this.state === State.InNumber ? "',' or ']'" : 'a number';
  }

  /**
   * Scan `bytes[start..end)`, whose first byte is at absolute offset `base + start`, continuing after the
   * opening '['. Returns the position just after the closing ']', or -1 when the chunk ended first.
   * Throws BadInputError on anything but digits, commas, whitespace and the closing bracket.
   */
  feed(bytes: Uint8Array, start: number, end: number, base: number): number {
    // Locals for the hot loop; written back before returning.
    const values = this.values;
    const offsets = this.offsets;
    const capacity = this.capacity;
    let count = this.count;
    let state = this.state;
    let value = this.value;
    let numberStart = this.numberStart;
    let i = start;
    while (i < end) {
      let c = bytes[i]!;
      if (c >= 0x30 && c <= 0x39) {
        if (state === State.AfterNumber) this.fail(base + i, "',' or ']'", c);
        if (state !== State.InNumber) {
          value = 0;
          numberStart = base + i;
        }
        // Tight digit loop: most of a snapshot's bytes are digits.
        do {
          value = value * 10 + (c - 0x30);
          if (++i === end) {
            this.count = count;
            this.state = State.InNumber;
            this.value = value;
            this.numberStart = numberStart;
            return -1;
          }
          c = bytes[i]!;
        } while (c >= 0x30 && c <= 0x39);
        state = State.InNumber;
      }
      if (state === State.InNumber) {
        if (value > maxSafe) this.fail(numberStart, 'an integer below 2^53', -1);
        values[count] = value;
        offsets[count] = numberStart;
        if (++count === capacity) {
          this.sink.accept(values, offsets, count);
          count = 0;
        }
        state = State.AfterNumber;
      }
      if (c === 0x2c) {
        if (state !== State.AfterNumber) this.fail(base + i, 'a number', c);
        state = State.Value;
      } else if (c === 0x5d) {
        if (state === State.Value) this.fail(base + i, 'a number', c);
        if (count > 0) this.sink.accept(values, offsets, count);
        this.count = 0;
        this.state = State.FirstValueOrClose;
        return i + 1;
      } else if (!isWhitespace(c)) {
        this.fail(base + i, state === State.AfterNumber ? "',' or ']'" : 'a non-negative integer', c);
      }
      i++;
    }
    this.count = count;
    this.state = state;
    this.value = value;
    this.numberStart = numberStart;
    return -1;
  }

  private fail(offset: number, expected: string, byte: number): never {
    throw new BadInputError(this.file, offset, expected, byte < 0 ? undefined : describeByte(byte));
  }
}
