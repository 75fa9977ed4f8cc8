// Layer 0 (base): error classes with stable codes. The message is what users and JSON's `error` field see;
// the code serves tests and the exit-code mapping (SPEC §2, §5).

/** Stable machine-readable error codes. */
export type GcshErrorCode =
  | 'bad-input' // a malformed or truncated file (carries byte offset)
  | 'unsupported-format'
  | 'unreadable-file'
  | 'unknown-object'
  | 'unknown-command'
  | 'bad-argument'
  | 'no-snapshot'
  | 'cancelled'
  | 'assert-failed'
  | 'internal';

export class GcshError extends Error {
  readonly code: GcshErrorCode;
  constructor(code: GcshErrorCode, message: string) {
    super(message);
    this.name = 'GcshError';
    this.code = code;
  }
}

/**
 * A malformed or truncated input file. The message always names the file, the byte offset and what was
 * expected, because that is what a user needs to report or fix the file (SPEC §10).
 */
export class BadInputError extends GcshError {
  readonly file: string;
  readonly byteOffset: number;
  readonly expected: string;
  constructor(file: string, byteOffset: number, expected: string, found?: string) {
    super('bad-input', `${file}: at byte ${byteOffset}: expected ${expected}${found === undefined ? '' : `, found ${found}`}`);
    this.file = file;
    this.byteOffset = byteOffset;
    this.expected = expected;
  }
}

export class CancelledError extends GcshError {
  constructor() {
    super('cancelled', 'cancelled');
  }
}

/** Describe one byte for an error message: a printable character in quotes, otherwise its hex code. */
export function describeByte(byte: number | undefined): string {
  if (byte === undefined) return 'end of file';
  if (byte >= 0x20 && byte < 0x7f) return `'${String.fromCharCode(byte)}'`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}
