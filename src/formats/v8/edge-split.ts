// Layer 2 (formats): parse the `edges` array of a plain `.heapsnapshot` file from both ends at once. The main thread's
// parser reads it front to back as always; a helper thread (parseEdgesTail) reads it back to front from the closing
// ']' and writes rows straight into the shared edge columns, numbering them from the header's edge_count. With the
// usual section order the helper starts right after the header and finds the array itself, so it works while the
// nodes are parsed. Where the two meet, the parser checks that its own row count is exactly the helper's first row;
// only then does it skip to the ']'. Any doubt (another array than the parser's, a wrong node or edge count, bad
// bytes in the tail, a helper that never answers) leaves the parser alone or restarts the read on one thread, so
// results and error messages are always those of the sequential parser.
import { newUint8Array } from '../../base/large-arrays.js';

/** Shared state slots (Int32Array `state`). */
const enum Slot {
  /** A SplitStatus. */
  Status,
  /** 1 once the helper has published Position.Start (early jobs find the array themselves). */
  StartKnown,
}
const enum Position {
  /** Written by the main thread before each chunk: the end of the bytes it is about to parse. */
  MainByte,
  /** Helper's result once Status = 1: byte offset of the first digit of its first row, that row, and the ']' offset. */
  FrontierByte,
  FrontierRow,
  EndByte,
  /** Largest string-index name among the helper's whole rows (see EdgeColumnsSink.maxStringName). */
  MaxStringName,
  /** The array start the helper works from (found by the helper for early jobs). */
  Start,
}
export const enum SplitStatus {
  Running = 0,
  /** Stopped with a frontier: rows frontierRow.. are parsed. */
  Stopped = 1,
  /** Gave up after writing some values (bad bytes, more values than announced…). */
  Failed = 2,
  /** Gave up before writing anything. */
  Unused = 3,
}

/** Everything the helper needs; SharedArrayBuffer views are shared, the rest is copied. */
export interface EdgeSplitJob {
  readonly path: string;
  /**
   * Absolute offset just after the `edges` array's '[', or -1 when the job starts before the parser got there
   * (right after the header): the helper then looks for `"edges":[` from `searchFrom`, and the parser confirms
   * the place when it reaches it.
   */
  readonly start: number;
  readonly searchFrom: number;
  /** Rows announced by the header (the edge columns' capacity). */
  readonly rowCount: number;
  readonly fieldCount: number;
  readonly typeAt: number;
  readonly nameAt: number;
  readonly toAt: number;
  readonly kindOfType: Uint8Array;
  /** 1 for file edge types named by a string index. */
  readonly stringNamedOfType: Uint8Array;
  readonly nodeFieldCount: number;
  /** Node count when nodes came first (targets range-checked), else -1. */
  readonly nodeLimit: number;
  readonly edgeKind: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTarget: Uint32Array;
  /** Int32 slots (see Slot) on a SharedArrayBuffer. */
  readonly state: Int32Array;
  /** Float64 positions (see Position) on a SharedArrayBuffer; MainByte is also mirrored in `mainByte`. */
  readonly positions: Float64Array;
  /** MainByte for atomic access (BigInt64, since offsets pass 2^32). */
  readonly mainByte: BigInt64Array;
  /** The helper stops when its next block would come within this many bytes of the main thread's position. */
  readonly marginBytes: number;
  readonly blockBytes: number;
}

/** Reads `length` bytes at `position` into `buffer`; returns the count read (the helper opens its own handle). */
export type ReadAt = (buffer: Uint8Array, length: number, position: number) => number;

const maxSafe = Number.MAX_SAFE_INTEGER;
const maxUint32 = 0xffffffff;

/**
 * The helper thread's half: find the array's ']' from `job.start`, then parse rows backwards block by block until
 * the next block would reach the main thread. Never throws for bad input: it reports Failed and lets the main
 * thread's sequential parse find (and report) the problem. Always ends with Status ≠ Running and a notify.
 */
export function parseEdgesTail(job: EdgeSplitJob, readAt: ReadAt): void {
  let status = SplitStatus.Failed;
  try {
    status = parseTail(job, readAt);
  } finally {
    Atomics.store(job.state, Slot.Status, status);
    Atomics.notify(job.state, Slot.Status);
    // Also wakes a parser waiting for the start when the helper gave up before finding it.
    Atomics.store(job.state, Slot.StartKnown, 1);
    Atomics.notify(job.state, Slot.StartKnown);
  }
}

function parseTail(job: EdgeSplitJob, readAt: ReadAt): SplitStatus {
  const { rowCount, fieldCount, typeAt, nameAt, toAt, kindOfType, stringNamedOfType, nodeFieldCount, edgeKind, edgeName, edgeTarget, positions } = job;
  if (rowCount === 0) return SplitStatus.Unused;
  const start = job.start >= 0 ? job.start : findEdgesKey(job, readAt);
  if (start < 0) return SplitStatus.Unused;
  positions[Position.Start] = start;
  Atomics.store(job.state, Slot.StartKnown, 1);
  Atomics.notify(job.state, Slot.StartKnown);
  const end = findArrayEnd(start, job, readAt);
  if (end < 0) return SplitStatus.Unused;
  const typeCount = kindOfType.length;
  const nodeLimit = job.nodeLimit < 0 ? Infinity : job.nodeLimit;
  const buffer = newUint8Array(job.blockBytes);
  let frontierByte = end;
  let frontierRow = rowCount;
  let maxStringName = 0;
  // The current row's type and name, known once its field 0 (the last one met going backwards) is parsed.
  let rowType = 0;
  let rowName = 0;
  while (frontierByte > start) {
    // Never below the array start: there the first value is complete (a '[' precedes it).
    const blockStart = Math.max(start, frontierByte - job.blockBytes);
    if (blockStart <= Number(Atomics.load(job.mainByte, 0)) + job.marginBytes) break;
    const length = frontierByte - blockStart;
    if (readAt(buffer, length, blockStart) !== length) return frontierRow === rowCount ? SplitStatus.Unused : SplitStatus.Failed;
    // Values are numbered back from the header's total; a row is published only once all its fields are parsed.
    // `field`/`row` count down with the values (no division per value).
    let field = fieldCount - 1;
    let row = frontierRow - 1;
    let afterSeparator = frontierRow === rowCount; // at the ']' no ',' precedes the last value
    let p = length - 1;
    let nextByte = frontierByte;
    let nextRow = frontierRow;
    for (;;) {
      let c = 0;
      // Whitespace, then (except before the ']') a ',' and more whitespace; V8 writes none of it but commas.
      while (p >= 0 && ((c = buffer[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p--;
      if (!afterSeparator) {
        if (p < 0) break;
        if (c !== 0x2c) return SplitStatus.Failed;
        p--;
        while (p >= 0 && ((c = buffer[p]!) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) p--;
      }
      if (p < 0) break;
      if (c < 0x30 || c > 0x39) return SplitStatus.Failed;
      let value = c - 0x30;
      let scale = 10;
      p--;
      while (p >= 0) {
        c = buffer[p]!;
        if (c < 0x30 || c > 0x39) break;
        value += (c - 0x30) * scale;
        scale *= 10;
        p--;
      }
      // A number that touches the block start may continue in the previous block: leave it for the next block.
      if (p < 0 && blockStart !== start) break;
      // More than 16 digits, or above 2^53: the sequential parser reports it.
      if (scale > 1e16 || value > maxSafe) return SplitStatus.Failed;
      if (row < 0) return SplitStatus.Failed; // more values than the header announced
      if (field === typeAt) {
        if (value >= typeCount) return SplitStatus.Failed;
        edgeKind[row] = kindOfType[value]!;
        rowType = value;
      } else if (field === nameAt) {
        if (value > maxUint32) return SplitStatus.Failed;
        edgeName[row] = value;
        rowName = value;
      } else if (field === toAt) {
        const target = Math.floor(value / nodeFieldCount);
        if (target * nodeFieldCount !== value || target > maxUint32 || target >= nodeLimit) return SplitStatus.Failed;
        edgeTarget[row] = target;
      }
      afterSeparator = false;
      if (field === 0) {
        nextByte = blockStart + p + 1;
        nextRow = row;
        if (stringNamedOfType[rowType] === 1 && rowName > maxStringName) maxStringName = rowName;
        field = fieldCount - 1;
        row--;
      } else field--;
    }
    if (nextRow === frontierRow) return SplitStatus.Failed; // a block without a whole row: not worth going on
    frontierByte = nextByte;
    frontierRow = nextRow;
    positions[Position.FrontierByte] = frontierByte;
    positions[Position.FrontierRow] = frontierRow;
    positions[Position.EndByte] = end;
    positions[Position.MaxStringName] = maxStringName;
  }
  return frontierRow < rowCount ? SplitStatus.Stopped : SplitStatus.Unused;
}

/**
 * Offset of the first ']' after the array start (the array holds only digits, commas and whitespace), or -1. Each of
 * the header's values takes at least two bytes ("0,"), so the search starts that far in; if the header over-counts,
 * a later ']' is found, the backward parse fails on its first non-digit, and the parser finds the truth alone.
 */
function findArrayEnd(start: number, job: EdgeSplitJob, readAt: ReadAt): number {
  const buffer = newUint8Array(8 << 20);
  let position = start + Math.max(0, 2 * job.rowCount * job.fieldCount - 1);
  for (;;) {
    const read = readAt(buffer, buffer.length, position);
    if (read <= 0) return -1;
    const at = buffer.subarray(0, read).indexOf(0x5d);
    if (at >= 0) return position + at;
    position += read;
  }
}

const edgesKey = Buffer.from('"edges":[');

/**
 * Offset just after the first `"edges":[` at or after `job.searchFrom`, or -1. Only a guess (the bytes could sit
 * inside some other section): the parser checks it against the real section start before trusting any row.
 */
function findEdgesKey(job: EdgeSplitJob, readAt: ReadAt): number {
  const buffer = Buffer.from(newUint8Array(8 << 20).buffer, 0, 8 << 20);
  let position = job.searchFrom;
  for (;;) {
    const read = readAt(buffer, buffer.length, position);
    if (read < edgesKey.length) return -1;
    const at = buffer.subarray(0, read).indexOf(edgesKey);
    if (at >= 0) return position + at + edgesKey.length;
    // Overlap the next read so a key split across reads is still found.
    position += read - edgesKey.length + 1;
  }
}

/** Thrown by the parser when a split cannot be trusted; the reader then reads the file again on one thread. */
export class EdgeSplitRestart extends Error {
  constructor(reason: string) {
    super(`edge split abandoned: ${reason}`);
  }
}

/** How long the main thread waits for a helper that should be about to stop before it gives up and restarts. */
const helperTimeoutMs = 10_000;

/** The main thread's half: publishes its position, and tells the parser where the helper's rows begin. */
export class EdgeSplit {
  readonly state = new Int32Array(new SharedArrayBuffer(2 * 4));
  readonly positions = new Float64Array(new SharedArrayBuffer(6 * 8));
  readonly mainByte = new BigInt64Array(new SharedArrayBuffer(8));
  private started = false;
  private abandoned = false;
  private took = false;
  private rowCount = 0;
  /** For a job started at the header: the node limit it validates targets against (the header's node_count). */
  private earlyNodeLimit: number | null = null;

  /**
   * @param path the plain snapshot file (the helper reads it by offset)
   * @param post hands the job to the helper thread (or, in tests, runs parseEdgesTail right away)
   */
  constructor(
    private readonly path: string,
    private readonly post: (job: EdgeSplitJob) => void,
    private readonly marginBytes = 4 << 20,
    private readonly blockBytes = 1 << 20,
    /** Edge arrays shorter than this (by the header's count) are not worth a second thread. */
    private readonly minRows = 1 << 20,
  ) {}

  /**
   * Called as the `edges` array opens at `start`; returns whether the helper works on it. Starts the helper if it
   * was not started at the header; else checks that it found this very array and validates targets against the
   * real node count, and if not, stops it and lets the parser work alone.
   */
  begin(start: number, rowCount: number, layout: EdgeLayout, columns: SplitColumns, nodeLimit: number): boolean {
    if (this.earlyNodeLimit === null) return this.start(start, -1, rowCount, layout, columns, nodeLimit);
    Atomics.store(this.mainByte, 0, BigInt(start));
    // The helper publishes where it works before writing anything; it only takes a few reads to find.
    if (Atomics.wait(this.state, Slot.StartKnown, 0, helperTimeoutMs) === 'timed-out') throw this.giveUp('the helper thread did not start');
    if (this.positions[Position.Start] === start && this.earlyNodeLimit === nodeLimit && rowCount === this.rowCount) return true;
    // Another place or another node count: stop the helper before this thread writes rows it might overwrite.
    Atomics.store(this.mainByte, 0, BigInt(Number.MAX_SAFE_INTEGER));
    if (Atomics.load(this.state, Slot.Status) === SplitStatus.Running) this.waitForHelper();
    this.abandoned = true;
    return true;
  }

  /**
   * Called right after the `snapshot` header when no node or edge section came before it: starts the helper now
   * (it finds the `edges` array itself), so it works while this thread parses the nodes. `nodeLimit` is the
   * header's node_count, checked against the real count in `begin`.
   */
  beginAtHeader(searchFrom: number, rowCount: number, layout: EdgeLayout, columns: SplitColumns, nodeLimit: number): boolean {
    if (nodeLimit < 0 || !this.start(-1, searchFrom, rowCount, layout, columns, nodeLimit)) return false;
    this.earlyNodeLimit = nodeLimit;
    return true;
  }

  private start(start: number, searchFrom: number, rowCount: number, layout: EdgeLayout, columns: SplitColumns, nodeLimit: number): boolean {
    if (rowCount < this.minRows || !(columns.edgeTarget.buffer instanceof SharedArrayBuffer)) return false;
    Atomics.store(this.mainByte, 0, BigInt(start >= 0 ? start : searchFrom));
    this.started = true;
    this.rowCount = rowCount;
    this.post({
      path: this.path,
      start,
      searchFrom,
      rowCount,
      fieldCount: layout.edgeFieldCount,
      typeAt: layout.edgeType,
      nameAt: layout.edgeNameOrIndex,
      toAt: layout.edgeToNode,
      kindOfType: layout.edgeKindOfType,
      stringNamedOfType: columns.stringNamedOfType,
      nodeFieldCount: layout.nodeFieldCount,
      nodeLimit,
      edgeKind: columns.edgeKind,
      edgeName: columns.edgeName,
      edgeTarget: columns.edgeTarget,
      state: this.state,
      positions: this.positions,
      mainByte: this.mainByte,
      marginBytes: this.marginBytes,
      blockBytes: this.blockBytes,
    });
    return true;
  }

  /**
   * Before parsing bytes up to absolute offset `chunkEnd`: publish the position, and return the helper's frontier
   * when it lies at or before `chunkEnd` (waiting for the helper to stop if it is that close), else -1.
   * Throws EdgeSplitRestart when the helper does not answer.
   */
  frontierBefore(chunkEnd: number): number {
    if (!this.started || this.abandoned) return -1;
    Atomics.store(this.mainByte, 0, BigInt(chunkEnd));
    let status = Atomics.load(this.state, Slot.Status);
    if (status === SplitStatus.Running) {
      // The helper publishes its frontier after each block, and stops once it sees the main thread this close.
      const frontier = this.positions[Position.FrontierByte]!;
      if (frontier === 0 || frontier > chunkEnd + this.marginBytes) return -1;
      status = this.waitForHelper();
    }
    if (status !== SplitStatus.Stopped) {
      this.abandoned = true;
      return -1;
    }
    const frontier = this.positions[Position.FrontierByte]!;
    return frontier <= chunkEnd ? frontier : -1;
  }

  /** The parser took the helper's rows (for tests and timings): rows frontierRow.. came from the helper. */
  get adopted(): boolean {
    return this.took;
  }

  /** Called by the parser when its rows ended exactly at the frontier and it skips to the array's end. */
  adopt(): void {
    this.took = true;
  }

  /** The parser could not take the helper's rows at the frontier: it parses on alone (see finishedAlone). */
  abandon(): void {
    this.abandoned = true;
  }

  /**
   * The parser reached the array's end by itself. The helper must have stopped writing, and whatever it wrote
   * was numbered from the header's count: harmless (the same values at the same rows) only if that count was
   * right, so otherwise the read restarts. Throws EdgeSplitRestart.
   */
  finishedAlone(rowsRead: number): void {
    if (!this.started) return;
    let status = Atomics.load(this.state, Slot.Status);
    if (status === SplitStatus.Running) status = this.waitForHelper();
    if (status !== SplitStatus.Unused && rowsRead !== this.rowCount) throw new EdgeSplitRestart(`the header announced ${this.rowCount} edges, the file has ${rowsRead}`);
  }

  private waitForHelper(): SplitStatus {
    if (Atomics.wait(this.state, Slot.Status, SplitStatus.Running, helperTimeoutMs) === 'timed-out') throw this.giveUp('the helper thread did not stop');
    return Atomics.load(this.state, Slot.Status) as SplitStatus;
  }

  /** A late or starved helper must not spend its thread on a read that restarts: tell it to stop at once. */
  private giveUp(reason: string): EdgeSplitRestart {
    Atomics.store(this.mainByte, 0, BigInt(Number.MAX_SAFE_INTEGER));
    return new EdgeSplitRestart(reason);
  }

  get frontierRow(): number {
    return this.positions[Position.FrontierRow]!;
  }

  get endByte(): number {
    return this.positions[Position.EndByte]!;
  }

  get maxStringName(): number {
    return this.positions[Position.MaxStringName]!;
  }
}

/** The edge columns the helper writes into (an EdgeColumnsSink). */
export interface SplitColumns {
  readonly edgeKind: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTarget: Uint32Array;
  readonly stringNamedOfType: Uint8Array;
}

/** The meta fields EdgeSplit needs (a subset of SnapshotLayout). */
export interface EdgeLayout {
  readonly edgeFieldCount: number;
  readonly edgeType: number;
  readonly edgeNameOrIndex: number;
  readonly edgeToNode: number;
  readonly edgeKindOfType: Uint8Array;
  readonly nodeFieldCount: number;
}
