// Layer 2 (formats): a streaming, byte-level JSON value validator used to skip (or capture) sections the V8
// reader does not interpret: `snapshot`, `locations`, `samples`, `trace_*`, scope tables, anything new.
// Iterative with an explicit container stack, so hostile nesting cannot overflow the JS stack.

const enum State {
  Value, // expecting any value
  ValueOrClose, // just after '[': a value or ']'
  KeyOrClose, // just after '{': a key or '}'
  Key, // after ',' in an object: a key
  Colon,
  AfterValue, // inside a container, after a value: ',' or the closing bracket
  InString,
  Escape,
  Unicode,
  InNumber,
  InLiteral,
  Done,
}

const objectMark = 1;
const arrayMark = 2;
/** Deeper nesting than this is treated as hostile input. */
const maxDepth = 1 << 20;

/** Outcome of `JsonValueSkipper.feed` when it did not finish: more input is needed. */
export const needMoreInput = -1;

/**
 * Skips exactly one JSON value, fed in chunks. `feed` returns the position just after the value, or
 * `needMoreInput` when the chunk ended first; on malformed input it sets `errorPosition`/`errorExpected`
 * and returns -2. Number grammar is checked loosely (characters only), everything else strictly.
 */
export class JsonValueSkipper {
  private state = State.Value;
  private stack = new Uint8Array(64);
  private depth = 0;
  private stringIsKey = false;
  private unicodeLeft = 0;
  private literal: Uint8Array = trueBytes;
  private literalAt = 0;
  errorPosition = 0;
  errorExpected = '';

  /** Start skipping a new value. */
  reset(): void {
    this.state = State.Value;
    this.depth = 0;
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** What the skipper is waiting for, for end-of-file messages. */
  get expecting(): string {
    switch (this.state) {
      case State.InString:
      case State.Escape:
      case State.Unicode:
        return 'the end of a string';
      case State.Colon:
        return "':'";
      case State.Key:
      case State.KeyOrClose:
        return 'an object key';
      case State.AfterValue:
      case State.InNumber:
        if (this.depth === 0) return 'a JSON value';
        return this.stack[this.depth - 1] === objectMark ? "',' or '}'" : "',' or ']'";
      default:
        return 'a JSON value';
    }
  }

  feed(bytes: Uint8Array, start: number, end: number): number {
    let state = this.state;
    let i = start;
    for (; i < end; i++) {
      const c = bytes[i]!;
      switch (state) {
        case State.InString:
          if (c === 0x22) {
            if (this.stringIsKey) state = State.Colon;
            else if (this.depth === 0) {
              this.state = State.Done;
              return i + 1;
            } else state = State.AfterValue;
          } else if (c === 0x5c) state = State.Escape;
          else if (c < 0x20) return this.fail(i, 'an escaped control character in a string');
          continue;
        case State.Escape:
          if (c === 0x75) {
            state = State.Unicode;
            this.unicodeLeft = 4;
          } else if (isSimpleEscape(c)) state = State.InString;
          else return this.fail(i, 'a valid escape after a backslash');
          continue;
        case State.Unicode:
          if (!isHexDigit(c)) return this.fail(i, 'a hex digit in a \\u escape');
          if (--this.unicodeLeft === 0) state = State.InString;
          continue;
        case State.InNumber:
          if (isNumberByte(c)) {
            // Most skipped bytes are arrays of numbers (`locations`, `samples`, trace tables): run over a number and
            // the ",<digit>" that starts the next one in a tight loop rather than one switch per byte. Same states,
            // same result: a ',' inside an array followed by a number start is exactly Value → InNumber.
            let j = i + 1;
            const inArray = this.depth > 0 && this.stack[this.depth - 1] === arrayMark;
            for (;;) {
              while (j < end && isNumberByte(bytes[j]!)) j++;
              if (!inArray || j + 1 >= end || bytes[j] !== 0x2c) break;
              const next = bytes[j + 1]!;
              if (next !== 0x2d && (next < 0x30 || next > 0x39)) break;
              j += 2;
            }
            i = j - 1; // the loop's i++ lands on the first byte after the run
            continue;
          }
          if (this.depth === 0) {
            this.state = State.Done;
            return i;
          }
          state = State.AfterValue;
          break; // fall through to AfterValue handling of this byte below
        case State.InLiteral:
          if (c !== this.literal[this.literalAt]) return this.fail(i, `the literal '${String.fromCharCode(...this.literal)}'`);
          if (++this.literalAt === this.literal.length) {
            if (this.depth === 0) {
              this.state = State.Done;
              return i + 1;
            }
            state = State.AfterValue;
          }
          continue;
        case State.Done:
          return i;
        default:
          break;
      }
      if (isWhitespace(c)) continue;
      switch (state) {
        case State.Value:
        case State.ValueOrClose:
          if (c === 0x5d && state === State.ValueOrClose) {
            const r = this.close(i);
            if (r >= 0) return r;
            state = State.AfterValue;
            continue;
          }
          if (c === 0x22) {
            this.stringIsKey = false;
            state = State.InString;
          } else if (c === 0x7b) {
            if (!this.push(objectMark)) return this.fail(i, `nesting shallower than ${maxDepth}`);
            state = State.KeyOrClose;
          } else if (c === 0x5b) {
            if (!this.push(arrayMark)) return this.fail(i, `nesting shallower than ${maxDepth}`);
            state = State.ValueOrClose;
          } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) state = State.InNumber;
          else if (c === 0x74 || c === 0x66 || c === 0x6e) {
            this.literal = c === 0x74 ? trueBytes : c === 0x66 ? falseBytes : nullBytes;
            this.literalAt = 1;
            state = State.InLiteral;
          } else return this.fail(i, 'a JSON value');
          continue;
        case State.KeyOrClose:
        case State.Key:
          if (c === 0x22) {
            this.stringIsKey = true;
            state = State.InString;
          } else if (c === 0x7d && state === State.KeyOrClose) {
            const r = this.close(i);
            if (r >= 0) return r;
            state = State.AfterValue;
          } else return this.fail(i, state === State.Key ? 'an object key' : "an object key or '}'");
          continue;
        case State.Colon:
          if (c !== 0x3a) return this.fail(i, "':'");
          state = State.Value;
          continue;
        case State.AfterValue: {
          const container = this.stack[this.depth - 1];
          if (c === 0x2c) state = container === objectMark ? State.Key : State.Value;
          else if ((c === 0x7d && container === objectMark) || (c === 0x5d && container === arrayMark)) {
            const r = this.close(i);
            if (r >= 0) return r;
          } else return this.fail(i, container === objectMark ? "',' or '}'" : "',' or ']'");
          continue;
        }
        default:
          return this.fail(i, 'a JSON value');
      }
    }
    this.state = state;
    return needMoreInput;
  }

  /** Pop a container; returns the position after the value when the outermost one closed, else -1. */
  private close(i: number): number {
    this.depth--;
    if (this.depth === 0) {
      this.state = State.Done;
      return i + 1;
    }
    return -1;
  }

  private push(mark: number): boolean {
    if (this.depth === this.stack.length) {
      if (this.depth >= maxDepth) return false;
      const grown = new Uint8Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    this.stack[this.depth++] = mark;
    return true;
  }

  private fail(position: number, expected: string): number {
    this.errorPosition = position;
    this.errorExpected = expected;
    return -2;
  }
}

const trueBytes = new Uint8Array([0x74, 0x72, 0x75, 0x65]);
const falseBytes = new Uint8Array([0x66, 0x61, 0x6c, 0x73, 0x65]);
const nullBytes = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);

/** Characters of a number under the loose grammar (digits, '.', 'e', 'E', '+', '-'). */
function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isSimpleEscape(c: number): boolean {
  // " \ / b f n r t
  return c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}
