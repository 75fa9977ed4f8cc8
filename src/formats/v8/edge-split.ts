// Layer 2 (formats): parse the `edges` array of a plain `.heapsnapshot` file from both ends at once. The main thread's
// parser reads it front to back as always; a helper thread (parseEdgesTail) reads it back to front from the closing
// ']' and writes rows straight into the shared edge columns, numbering them from the header's edge_count. Where the
// two meet, the parser checks that its own row count is exactly the helper's first row; only then does it skip to
// the ']'. Any doubt (a wrong edge_count, bad bytes in the tail, a helper that never answers) restarts the whole read
// on one thread, so results and error messages are always those of the sequential parser.

/** Shared state slots (Int32Array `state`). */
const enum Slot {
  /** A SplitStatus. */
  Status,
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
  /** Absolute offset just after the `edges` array's '['. */
  readonly start: number;
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
  }
}

function parseTail(job: EdgeSplitJob, readAt: ReadAt): SplitStatus {
  const { rowCount, fieldCount, typeAt, nameAt, toAt, kindOfType, stringNamedOfType, nodeFieldCount, edgeKind, edgeName, edgeTarget, positions } = job;
  if (rowCount === 0) return SplitStatus.Unused;
  const end = findArrayEnd(job, readAt);
  if (end < 0) return SplitStatus.Unused;
  const typeCount = kindOfType.length;
  const nodeLimit = job.nodeLimit < 0 ? Infinity : job.nodeLimit;
  const buffer = new Uint8Array(job.blockBytes);
  let frontierByte = end;
  let frontierRow = rowCount;
  let maxStringName = 0;
  // The current row's type and name, known once its field 0 (the last one met going backwards) is parsed.
  let rowType = 0;
  let rowName = 0;
  for (;;) {
    const blockStart = frontierByte - job.blockBytes;
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
      if (p < 0) break;
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
function findArrayEnd(job: EdgeSplitJob, readAt: ReadAt): number {
  const buffer = Buffer.allocUnsafe(8 << 20);
  let position = job.start + Math.max(0, 2 * job.rowCount * job.fieldCount - 1);
  for (;;) {
    const read = readAt(buffer, buffer.length, position);
    if (read <= 0) return -1;
    const at = buffer.subarray(0, read).indexOf(0x5d);
    if (at >= 0) return position + at;
    position += read;
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
  readonly state = new Int32Array(new SharedArrayBuffer(4));
  readonly positions = new Float64Array(new SharedArrayBuffer(5 * 8));
  readonly mainByte = new BigInt64Array(new SharedArrayBuffer(8));
  private started = false;
  private abandoned = false;
  private took = false;
  private rowCount = 0;

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

  /** Called as the `edges` array opens; returns whether the helper was started. */
  begin(
    start: number,
    rowCount: number,
    layout: EdgeLayout,
    columns: { edgeKind: Uint8Array; edgeName: Uint32Array; edgeTarget: Uint32Array; stringNamedOfType: Uint8Array },
    nodeLimit: number,
  ): boolean {
    if (rowCount < this.minRows || !(columns.edgeTarget.buffer instanceof SharedArrayBuffer)) return false;
    Atomics.store(this.mainByte, 0, BigInt(start));
    this.started = true;
    this.rowCount = rowCount;
    this.post({
      path: this.path,
      start,
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
    if (Atomics.wait(this.state, Slot.Status, SplitStatus.Running, helperTimeoutMs) === 'timed-out') throw new EdgeSplitRestart('the helper thread did not stop');
    return Atomics.load(this.state, Slot.Status) as SplitStatus;
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

/** The meta fields EdgeSplit needs (a subset of SnapshotLayout). */
export interface EdgeLayout {
  readonly edgeFieldCount: number;
  readonly edgeType: number;
  readonly edgeNameOrIndex: number;
  readonly edgeToNode: number;
  readonly edgeKindOfType: Uint8Array;
  readonly nodeFieldCount: number;
}
