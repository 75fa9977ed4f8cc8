// Layer 2 (formats): decodes one JSON string body from raw bytes into UTF-8, byte-level, so snapshot strings never
// pass through JSON.parse or one big JS string. V8 writes non-ASCII as \uXXXX escapes; raw UTF-8 is copied as is.

/** Decoding stopped at the closing quote; `sourceEnd` is just after it. */
export const stringComplete = 0;
/** The input ended before the closing quote. */
export const stringIncomplete = 1;
/** Malformed escape or raw control character at `errorPosition`. */
export const stringMalformed = 2;

/** Result fields of the last `decode` call (one reusable object instead of an allocation per string). */
export class JsonStringDecoder {
  /** Position just after the closing quote (on stringComplete). */
  sourceEnd = 0;
  /** Bytes written to the destination (on stringComplete). */
  written = 0;
  errorPosition = 0;
  errorExpected = '';

  /**
   * Decode the string body starting at `start` (just after the opening quote) up to its closing quote, writing
   * UTF-8 into `target` at `targetStart`. The caller guarantees `target` has `end - start` free bytes: a JSON
   * string never decodes to more bytes than its escaped form. Lone surrogates become U+FFFD.
   */
  decode(source: Uint8Array, start: number, end: number, target: Uint8Array, targetStart: number): number {
    let out = targetStart;
    let i = start;
    while (i < end) {
      const c = source[i]!;
      if (c === 0x22) {
        this.sourceEnd = i + 1;
        this.written = out - targetStart;
        return stringComplete;
      }
      if (c !== 0x5c) {
        if (c < 0x20) return this.fail(i, 'an escaped control character in a string');
        target[out++] = c;
        i++;
        continue;
      }
      if (i + 1 >= end) return stringIncomplete;
      const e = source[i + 1]!;
      if (e !== 0x75) {
        let decoded: number;
        switch (e) {
          case 0x22:
          case 0x5c:
          case 0x2f:
            decoded = e;
            break;
          case 0x62:
            decoded = 0x08;
            break;
          case 0x66:
            decoded = 0x0c;
            break;
          case 0x6e:
            decoded = 0x0a;
            break;
          case 0x72:
            decoded = 0x0d;
            break;
          case 0x74:
            decoded = 0x09;
            break;
          default:
            return this.fail(i + 1, 'a valid escape after a backslash');
        }
        target[out++] = decoded;
        i += 2;
        continue;
      }
      if (i + 6 > end) return stringIncomplete;
      const unit = readHex4(source, i + 2);
      if (unit < 0) return this.fail(firstNonHex(source, i + 2), 'a hex digit in a \\u escape');
      i += 6;
      let codePoint = unit;
      if (unit >= 0xd800 && unit <= 0xdbff) {
        // A high surrogate combines with an immediately following \uDC00-\uDFFF escape; otherwise it is lone.
        codePoint = 0xfffd;
        if (i < end && source[i] === 0x5c) {
          if (i + 1 === end || (source[i + 1] === 0x75 && i + 6 > end)) return stringIncomplete;
          if (source[i + 1] === 0x75) {
            const low = readHex4(source, i + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
              codePoint = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
              i += 6;
            }
          }
        }
      } else if (unit >= 0xdc00 && unit <= 0xdfff) codePoint = 0xfffd;
      out = writeUtf8(target, out, codePoint);
    }
    return stringIncomplete;
  }

  private fail(position: number, expected: string): number {
    this.errorPosition = position;
    this.errorExpected = expected;
    return stringMalformed;
  }
}

/**
 * Find the closing quote of a string body starting at `start`, honouring backslash escapes. Returns its
 * position, -1 when the chunk ends first, or -2 when it ends right after a backslash (pass `escaped` = true
 * with the next chunk).
 */
export function findStringEnd(source: Uint8Array, start: number, end: number, escaped: boolean): number {
  let i = escaped ? start + 1 : start;
  while (i < end) {
    const c = source[i]!;
    if (c === 0x22) return i;
    i += c === 0x5c ? 2 : 1;
  }
  return i > end ? -2 : -1;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function readHex4(source: Uint8Array, at: number): number {
  const a = hexValue(source[at]!);
  const b = hexValue(source[at + 1]!);
  const c = hexValue(source[at + 2]!);
  const d = hexValue(source[at + 3]!);
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

function firstNonHex(source: Uint8Array, at: number): number {
  let k = at;
  while (hexValue(source[k]!) >= 0) k++;
  return k;
}

function writeUtf8(target: Uint8Array, at: number, codePoint: number): number {
  let out = at;
  if (codePoint < 0x80) target[out++] = codePoint;
  else if (codePoint < 0x800) {
    target[out++] = 0xc0 | (codePoint >> 6);
    target[out++] = 0x80 | (codePoint & 0x3f);
  } else if (codePoint < 0x10000) {
    target[out++] = 0xe0 | (codePoint >> 12);
    target[out++] = 0x80 | ((codePoint >> 6) & 0x3f);
    target[out++] = 0x80 | (codePoint & 0x3f);
  } else {
    target[out++] = 0xf0 | (codePoint >> 18);
    target[out++] = 0x80 | ((codePoint >> 12) & 0x3f);
    target[out++] = 0x80 | ((codePoint >> 6) & 0x3f);
    target[out++] = 0x80 | (codePoint & 0x3f);
  }
  return out;
}
