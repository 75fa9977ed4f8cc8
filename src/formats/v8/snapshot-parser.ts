// Layer 2 (formats): the byte-level state machine for a whole `.heapsnapshot` document. It walks the top-level
// object key by key, streams `nodes`/`edges` into typed columns and `strings` into a string table, captures the
// small `snapshot` header for JSON.parse, and validates and skips every other section, in whatever order.
import { BadInputError, GcshError, describeByte } from '../../base/errors.js';
import type { StringTable } from '../../store/string-table.js';
import { JsonValueSkipper, isWhitespace, needMoreInput } from './json-skipper.js';
import { HeaderError, resolveLayout, type SnapshotLayout } from './meta.js';
import { NumberArrayScanner } from './number-array-scanner.js';
import { EdgeColumnsSink, NodeColumnsSink, RawNumbersSink } from './snapshot-columns.js';
import { StringsSection } from './strings-section.js';
import type { EdgeSplit } from './edge-split.js';
import { checkSnapshot } from './snapshot-checks.js';

const enum State {
  Start,
  KeyOrEnd,
  Key,
  InKey,
  Colon,
  Value,
  Header,
  Nodes,
  Edges,
  Strings,
  Skip,
  /** Skipping to `jumpTo`: the rest of the edges, parsed by an EdgeSplit helper. */
  Jump,
  AfterValue,
  End,
}

/** The `snapshot` header is small (meta and counts); anything bigger is not a heap snapshot header. */
const maxHeaderBytes = 64 << 20;
const maxKeyBytes = 64;

/** Everything the parser read, checked for consistency; the reader turns it into a GraphStore. */
export interface ParsedSnapshot {
  readonly layout: SnapshotLayout;
  readonly nodes: NodeColumnsSink;
  readonly edges: EdgeColumnsSink;
  readonly strings: StringTable;
  readonly rootOrdinal: number;
}

/** How the parser allocates and whether it splits the edges with a helper (the parallel load pipeline uses both). */
export interface ParserOptions {
  /** Allocate node and edge columns on SharedArrayBuffers. */
  readonly shared?: boolean;
  /** Parse the `edges` array from both ends (plain files only; needs `shared`). May throw EdgeSplitRestart. */
  readonly edgeSplit?: EdgeSplit;
  /**
   * Called once, mid-read, when a split edge array was adopted and the node and edge columns are final (no restart
   * and no trimming can follow), so another thread can start on them while the rest of the file is read.
   */
  readonly onEdgesFinal?: (edges: FinalEdges) => void;
}

/** The columns onEdgesFinal hands over (SharedArrayBuffer views when the parser allocates shared columns). */
export interface FinalEdges {
  readonly nodeCount: number;
  readonly firstOutEdge: Uint32Array;
  readonly edgeKind: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTarget: Uint32Array;
  readonly edgeKindCount: number;
}

export class HeapSnapshotParser {
  private state = State.Start;
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;
  private key = '';
  private keyBytes = new Uint8Array(maxKeyBytes);
  private keyLength = 0;
  private keyEscaped = false;
  private readonly skipper = new JsonValueSkipper();
  private header: Uint8Array = new Uint8Array(4096);
  private headerLength = 0;
  private headerOffset = 0;
  private layout: SnapshotLayout | null = null;
  private scanner: NumberArrayScanner | null = null;
  private nodeSink: NodeColumnsSink | null = null;
  private edgeSink: EdgeColumnsSink | null = null;
  private rawNodes: RawNumbersSink | null = null;
  private rawEdges: RawNumbersSink | null = null;
  private strings: StringsSection | null = null;
  private readonly seen = new Set<string>();
  private readonly sectionOffsets = new Map<string, number>();
  private objectEnd = 0;
  private splitActive = false;
  private jumpTo = 0;

  /**
   * @param file label for error messages (a path, plus "(decompressed)" for gzip input)
   * @param totalBytes input size when known (plain files), used to size the string table once; 0 if unknown
   */
  constructor(
    readonly file: string,
    private readonly totalBytes = 0,
    private readonly options: ParserOptions = {},
  ) {}

  /** Bytes consumed so far. */
  get offset(): number {
    return this.base;
  }

  /** Consume one chunk. The parser copies what it keeps, so the caller may reuse the buffer afterwards. */
  feed(bytes: Uint8Array): void {
    const end = bytes.length;
    let i = 0;
    while (i < end) {
      switch (this.state) {
        case State.Jump: {
          if (this.base + end <= this.jumpTo) i = end;
          else {
            i = this.jumpTo - this.base;
            this.state = State.AfterValue;
          }
          continue;
        }
        case State.Nodes:
        case State.Edges: {
          if (this.splitActive) {
            const frontier = this.options.edgeSplit!.frontierBefore(this.base + end);
            if (frontier >= 0) {
              i = this.meetSplit(bytes, i, frontier - this.base);
              continue;
            }
          }
          const next = this.scanner!.feed(bytes, i, end, this.base);
          if (next < 0) i = end;
          else {
            i = next;
            this.finishNumbers();
          }
          continue;
        }
        case State.Strings: {
          const next = this.strings!.feed(bytes, i, end, this.base);
          if (next < 0) i = end;
          else {
            i = next;
            this.state = State.AfterValue;
          }
          continue;
        }
        case State.Header:
        case State.Skip: {
          const next = this.skipper.feed(bytes, i, end);
          if (next === -2) throw new BadInputError(this.file, this.base + this.skipper.errorPosition, this.skipper.errorExpected, describeByte(bytes[this.skipper.errorPosition]));
          const stop = next === needMoreInput ? end : next;
          if (this.state === State.Header) this.captureHeader(bytes, i, stop);
          i = stop;
          if (next !== needMoreInput) {
            if (this.state === State.Header) this.finishHeader(this.base + stop);
            this.state = State.AfterValue;
          }
          continue;
        }
        case State.InKey: {
          const c = bytes[i]!;
          // Keys are only compared with V8's plain ASCII section names, so escapes are kept raw, just skipped over.
          if (this.keyEscaped) this.keyEscaped = false;
          else if (c === 0x5c) this.keyEscaped = true;
          else if (c === 0x22) {
            this.key = String.fromCharCode(...this.keyBytes.subarray(0, this.keyLength));
            this.state = State.Colon;
            i++;
            continue;
          } else if (c < 0x20) this.fail(i, 'the end of a key', c);
          if (this.keyLength < maxKeyBytes) this.keyBytes[this.keyLength++] = c;
          i++;
          continue;
        }
        default:
          break;
      }
      const c = bytes[i]!;
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      i += this.structural(c, i);
    }
    this.base += end;
  }

  /** Handle one non-whitespace byte of the top-level object's own syntax; returns how many bytes it consumed. */
  private structural(c: number, i: number): number {
    switch (this.state) {
      case State.Start:
        if (c !== 0x7b) {
          throw new GcshError('unsupported-format', `${this.file}: not a V8 heap snapshot (it does not start with a JSON object)`);
        }
        this.state = State.KeyOrEnd;
        return 1;
      case State.KeyOrEnd:
      case State.Key:
        if (c === 0x22) {
          this.keyLength = 0;
          this.state = State.InKey;
        } else if (c === 0x7d && this.state === State.KeyOrEnd) this.endObject(i);
        else this.fail(i, this.state === State.Key ? 'a section name' : "a section name or '}'", c);
        return 1;
      case State.Colon:
        if (c !== 0x3a) this.fail(i, "':'", c);
        this.state = State.Value;
        return 1;
      case State.Value:
        return this.startValue(c, i);
      case State.AfterValue:
        if (c === 0x2c) this.state = State.Key;
        else if (c === 0x7d) this.endObject(i);
        else this.fail(i, "',' or '}'", c);
        return 1;
      case State.End:
        this.requireSnapshotKeys();
        return this.fail(i, 'the end of the file after the top-level object', c);
      default:
        return this.fail(i, 'a JSON value', c);
    }
  }

  /** Dispatch on the section name; returns 1 when the opening bracket was consumed here, 0 when a skipper takes it. */
  private startValue(c: number, i: number): number {
    const key = this.key;
    const known = key === 'snapshot' || key === 'nodes' || key === 'edges' || key === 'strings';
    if (known) {
      if (this.seen.has(key)) this.fail(i, `a single "${key}" section`, c);
      this.seen.add(key);
      this.sectionOffsets.set(key, this.base + i);
    }
    if (key === 'snapshot') {
      if (c !== 0x7b) this.fail(i, "'{' starting the \"snapshot\" header", c);
      this.headerOffset = this.base + i;
      this.skipper.reset();
      this.state = State.Header;
      return 0;
    }
    if (key === 'nodes' || key === 'edges') {
      if (c !== 0x5b) this.fail(i, `'[' starting the "${key}" array`, c);
      this.startNumbers(key);
      if (key === 'edges' && this.edgeSink !== null && this.options.edgeSplit !== undefined) {
        const sink = this.edgeSink;
        this.splitActive = this.options.edgeSplit.begin(this.base + i + 1, sink.edgeKind.length, this.layout!, sink, sink.nodeLimit);
      }
      this.state = key === 'nodes' ? State.Nodes : State.Edges;
      return 1;
    }
    if (key === 'strings') {
      if (c !== 0x5b) this.fail(i, "'[' starting the \"strings\" array", c);
      const remaining = this.totalBytes > 0 ? this.totalBytes - (this.base + i) : 0;
      this.strings = new StringsSection(this.file, remaining > 0 ? remaining : 1 << 20);
      this.state = State.Strings;
      return 1;
    }
    this.skipper.reset();
    this.state = State.Skip;
    return 0;
  }

  private startNumbers(key: string): void {
    const layout = this.layout;
    if (key === 'nodes') {
      const sink = layout === null ? (this.rawNodes = new RawNumbersSink()) : (this.nodeSink = new NodeColumnsSink(this.file, layout, this.maxRows(layout.nodeFieldCount), this.options.shared));
      this.scanner = new NumberArrayScanner(this.file, layout === null ? 1 : layout.nodeFieldCount, sink);
    } else {
      const sink = layout === null ? (this.rawEdges = new RawNumbersSink()) : (this.edgeSink = this.edgeSinkForSection(layout));
      this.scanner = new NumberArrayScanner(this.file, layout === null ? 1 : layout.edgeFieldCount, sink);
    }
  }

  /** The sink made at the header for an early edge split, now that the nodes are known, or a new one. */
  private edgeSinkForSection(layout: SnapshotLayout): EdgeColumnsSink {
    const early = this.edgeSink;
    if (early === null) return this.newEdgeSink(layout);
    if (this.nodeSink !== null) early.nodeLimit = this.nodeSink.nodeCount;
    return early;
  }

  private newEdgeSink(layout: SnapshotLayout): EdgeColumnsSink {
    const sink = new EdgeColumnsSink(this.file, layout, this.maxRows(layout.edgeFieldCount), this.options.shared);
    // Sections are sequential, so an existing node sink is complete: with the V8 order (nodes before edges)
    // targets are range-checked as they stream, with exact offsets.
    if (this.nodeSink !== null) sink.nodeLimit = this.nodeSink.nodeCount;
    return sink;
  }

  /**
   * Header counts are only allocation hints: a row takes at least two bytes per field ("0,"), so a file cannot hold
   * more rows than this; for streams of unknown size, start at 2^24 rows and grow.
   */
  private maxRows(fieldCount: number): number {
    return this.totalBytes > 0 ? Math.floor(this.totalBytes / (2 * fieldCount)) : 1 << 24;
  }

  /**
   * Parse up to the EdgeSplit helper's first row at `stop` (a chunk index), then take its rows if ours end exactly
   * there, else parse on alone. Returns where to continue in the chunk.
   */
  private meetSplit(bytes: Uint8Array, i: number, stop: number): number {
    const split = this.options.edgeSplit!;
    const next = this.scanner!.feed(bytes, i, stop, this.base);
    if (next >= 0) {
      this.finishNumbers();
      return next;
    }
    this.splitActive = false;
    const sink = this.edgeSink!;
    if (this.scanner!.flushAtValueBoundary() && sink.edgeCount === split.frontierRow) {
      sink.adoptTail(sink.edgeKind.length, split.maxStringName);
      split.adopt();
      const nodes = this.nodeSink;
      if (this.options.onEdgesFinal !== undefined && nodes !== null && nodes.complete) {
        this.options.onEdgesFinal({
          nodeCount: nodes.nodeCount,
          firstOutEdge: nodes.firstOutEdge,
          edgeKind: sink.edgeKind,
          edgeName: sink.edgeName,
          edgeTarget: sink.edgeTarget,
          edgeKindCount: this.layout!.edgeKindNames.length,
        });
      }
      this.scanner = null;
      this.jumpTo = split.endByte + 1;
      this.state = State.Jump;
    } else split.abandon();
    return stop;
  }

  private finishNumbers(): void {
    if (this.state === State.Edges && this.options.edgeSplit !== undefined) this.options.edgeSplit.finishedAlone(this.edgeSink?.edgeCount ?? 0);
    this.scanner = null;
    this.state = State.AfterValue;
  }

  private captureHeader(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.headerLength + (end - start);
    if (needed > maxHeaderBytes) throw new BadInputError(this.file, this.base + end, `a "snapshot" header under ${maxHeaderBytes} bytes`);
    if (needed > this.header.length) {
      const grown = new Uint8Array(Math.max(needed, this.header.length * 2));
      grown.set(this.header.subarray(0, this.headerLength));
      this.header = grown;
    }
    this.header.set(bytes.subarray(start, end), this.headerLength);
    this.headerLength = needed;
  }

  private finishHeader(headerEnd: number): void {
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder().decode(this.header.subarray(0, this.headerLength)));
    } catch (error) {
      throw new BadInputError(this.file, this.headerOffset, 'a valid JSON "snapshot" header', (error as Error).message);
    }
    this.header = new Uint8Array(0);
    let layout: SnapshotLayout;
    try {
      layout = resolveLayout(header);
    } catch (error) {
      if (error instanceof HeaderError) throw new BadInputError(this.file, this.headerOffset, error.message);
      throw error;
    }
    this.layout = layout;
    // With the usual order (header, nodes, edges) a helper can start on the edges' tail now, while nodes are parsed.
    const split = this.options.edgeSplit;
    if (split !== undefined && layout.edgeCount >= 0 && !this.seen.has('nodes') && !this.seen.has('edges')) {
      const sink = (this.edgeSink = this.newEdgeSink(layout));
      split.beginAtHeader(headerEnd, sink.edgeKind.length, layout, sink, layout.nodeCount);
    }
    // Sections that came before the header were kept raw; convert them now that their layout is known.
    if (this.rawNodes !== null) {
      this.nodeSink = new NodeColumnsSink(this.file, layout, this.maxRows(layout.nodeFieldCount), this.options.shared);
      this.rawNodes.replayInto(this.nodeSink, layout.nodeFieldCount);
      this.rawNodes = null;
    }
    if (this.rawEdges !== null) {
      this.edgeSink = this.newEdgeSink(layout);
      this.rawEdges.replayInto(this.edgeSink, layout.edgeFieldCount);
      this.rawEdges = null;
    }
  }

  private endObject(i: number): void {
    this.objectEnd = this.base + i;
    this.state = State.End;
  }

  /** A JSON object with none of the snapshot sections is some other file, not a damaged snapshot. */
  private requireSnapshotKeys(): void {
    if (this.seen.size === 0) throw new GcshError('unsupported-format', `${this.file}: not a V8 heap snapshot (no "snapshot", "nodes", "edges" or "strings" section)`);
  }

  /** Call after the last chunk: checks completeness and cross-section consistency. */
  finish(): ParsedSnapshot {
    if (this.state !== State.End) {
      if (this.state === State.Start) throw new BadInputError(this.file, this.base, "a JSON object ('{')", 'end of file');
      throw new BadInputError(this.file, this.base, this.expecting(), 'end of file');
    }
    this.requireSnapshotKeys();
    for (const key of ['snapshot', 'nodes', 'edges', 'strings']) {
      if (!this.seen.has(key)) throw new BadInputError(this.file, this.objectEnd, `a "${key}" section`, "'}'");
    }
    const strings = this.strings!.build();
    this.strings = null;
    return checkSnapshot({
      file: this.file,
      layout: this.layout!,
      nodes: this.nodeSink!,
      edges: this.edgeSink!,
      strings,
      offsets: this.sectionOffsets,
    });
  }

  private expecting(): string {
    switch (this.state) {
      case State.Nodes:
      case State.Edges:
        return this.scanner!.expecting;
      case State.Strings:
        return this.strings!.expecting;
      case State.Header:
      case State.Skip:
        return this.skipper.expecting;
      case State.InKey:
        return 'the end of a key';
      case State.Colon:
        return "':'";
      case State.Value:
        return 'a JSON value';
      case State.AfterValue:
        return "',' or '}'";
      default:
        return 'a section name';
    }
  }

  private fail(i: number, expected: string, byte: number): never {
    throw new BadInputError(this.file, this.base + i, expected, describeByte(byte));
  }
}
