// Layer 8 (cli): the terminal input handed to Ink, paced. ink-text-input re-subscribes its key handler in a React
// passive effect after every change, and a key that arrives before that effect has run reaches the previous handler,
// which still sees the old text and cursor: the key is lost or lands in the wrong place. Measured in a real terminal
// (tmux), those effects ran 11 to 40 ms after the change, so two keys in one read (arrows typed ahead) or two reads
// a few milliseconds apart (fast typing, key repeat) went wrong. Here every read is split into its escape sequences
// and the text between them, and pieces are handed over at least `pieceGapMs` apart. Runs of plain text stay
// together, so a paste is still one insertion.
import { PassThrough } from 'node:stream';

/**
 * Split terminal input into pieces: each escape sequence alone, and the text between them as one piece. An escape
 * sequence cut off at the end of a read is returned as `rest`, to be completed by the next read.
 */
export function splitKeySequences(input: string): { pieces: string[]; rest: string } {
  const pieces: string[] = [];
  let textStart = 0;
  let i = 0;
  while (i < input.length) {
    if (input[i] !== '\u001b') {
      i++;
      continue;
    }
    const length = escapeSequenceLength(input, i);
    if (i > textStart) pieces.push(input.slice(textStart, i));
    if (length === null) return { pieces, rest: input.slice(i) };
    pieces.push(input.slice(i, i + length));
    i += length;
    textStart = i;
  }
  if (i > textStart) pieces.push(input.slice(textStart, i));
  return { pieces, rest: '' };
}

/**
 * Length of the escape sequence at `start`: CSI (ESC [ parameters intermediates final), SS3 (ESC O x), either
 * after a second ESC (Alt+arrow), or ESC and one character (Alt+key). Null when the input ends inside it.
 */
function escapeSequenceLength(input: string, start: number): number | null {
  let j = start + 1;
  if (j >= input.length) return null;
  if (input[j] === '\u001b') {
    j++;
    if (j >= input.length) return null;
    if (input[j] !== '[' && input[j] !== 'O') return 2;
  }
  if (input[j] === 'O') return j + 1 < input.length ? j + 2 - start : null;
  if (input[j] !== '[') return j + 1 - start;
  j++;
  while (j < input.length && input.charCodeAt(j) >= 0x30 && input.charCodeAt(j) <= 0x3f) j++;
  while (j < input.length && input.charCodeAt(j) >= 0x20 && input.charCodeAt(j) <= 0x2f) j++;
  if (j >= input.length) return null;
  const final = input.charCodeAt(j);
  // Not a valid final byte: hand over what there is and let Ink's own parser decide.
  return final >= 0x40 && final <= 0x7e ? j + 1 - start : j - start;
}

/** How long an unfinished escape sequence waits for its end before it is passed on as it is (a lone Esc). */
const escapeWaitMs = 30;
/** Time between two pieces: enough for React's effects to run after a key (see above). */
const pieceGapMs = 40;

export interface PacedStdin extends PassThrough {
  readonly isTTY: true;
  setRawMode(enabled: boolean): PacedStdin;
  ref(): PacedStdin;
  unref(): PacedStdin;
}

/** A TTY-like stream over `source` (process.stdin) that delivers key sequences one per turn of the event loop. */
export function pacedStdin(source: NodeJS.ReadStream): PacedStdin {
  const stream = new PassThrough() as PassThrough & { isTTY: true; setRawMode: (enabled: boolean) => PacedStdin; ref: () => PacedStdin; unref: () => PacedStdin };
  const self = stream as unknown as PacedStdin;
  stream.isTTY = true;
  stream.setRawMode = (enabled) => {
    source.setRawMode(enabled);
    return self;
  };
  stream.ref = () => {
    source.ref();
    return self;
  };
  stream.unref = () => {
    source.unref();
    return self;
  };
  const queue: string[] = [];
  let pending = '';
  let pumping = false;
  let escapeTimer: NodeJS.Timeout | undefined;
  const pump = () => {
    const piece = queue.shift();
    if (piece === undefined) {
      pumping = false;
      return;
    }
    stream.write(piece);
    setTimeout(pump, pieceGapMs);
  };
  const enqueue = (pieces: readonly string[]) => {
    queue.push(...pieces);
    if (!pumping && queue.length > 0) {
      pumping = true;
      pump();
    }
  };
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    clearTimeout(escapeTimer);
    const { pieces, rest } = splitKeySequences(pending + chunk);
    pending = rest;
    enqueue(pieces);
    if (pending !== '') {
      escapeTimer = setTimeout(() => {
        const lone = pending;
        pending = '';
        enqueue([lone]);
      }, escapeWaitMs);
    }
  });
  return self;
}
