// Layer 2 (formats): number-batch sinks that turn `nodes` and `edges` rows into the store's typed columns as
// they stream in (no raw nodes/edges arrays are kept), plus a raw buffer for files whose sections come before
// the `snapshot` header that describes them.
import { BadInputError } from '../../base/errors.js';
import { edgeHasNoName, edgeNameIsIndex } from '../../store/kinds.js';
import type { NodeNumberColumn } from '../../store/graph-store.js';
import type { SnapshotLayout } from './meta.js';
import type { NumberBatchSink } from './number-array-scanner.js';

const maxUint32 = 0xffffffff;
const initialCapacity = 1 << 16;

/** Node columns filled row by row; capacity starts at `snapshot.node_count` and grows if the file has more. */
export class NodeColumnsSink implements NumberBatchSink {
  nodeKind: Uint8Array;
  nodeName: Uint32Array;
  /** Uint32 until a value is not a uint32 (V8 ids always are); then widened to Float64 once. */
  nodeId: NodeNumberColumn;
  /** Uint32 unless a size is not a uint32 or all sizes together reach 4 GiB (so reattribution cannot overflow). */
  selfSize: NodeNumberColumn;
  /** Sum of all self sizes read so far. */
  selfSizeTotal = 0;
  /** firstOutEdge[i + 1] = Σ edge_count of nodes 0..i (capacity + 1 long). */
  firstOutEdge: Uint32Array;
  detachedness: Uint8Array | null;
  nodeCount = 0;
  /** Total values seen, to report arrays whose length is not a multiple of the field count. */
  valueCount = 0;
  /** Byte offset of the last value, for the end-of-section checks. */
  lastOffset = 0;
  /** Largest node name index seen, so the string-index check can skip its scan when all are in range. */
  maxName = 0;

  /**
   * @param maxRows most rows the input can hold; caps what a hostile or wrong `node_count` can make us allocate
   * @param shared allocate the columns on SharedArrayBuffers, so worker threads can read them without copies
   */
  constructor(
    private readonly file: string,
    private readonly layout: SnapshotLayout,
    maxRows = Infinity,
    private readonly shared = false,
  ) {
    const capacity = layout.nodeCount >= 0 ? Math.min(layout.nodeCount, maxRows) : initialCapacity;
    this.nodeKind = newColumn(Uint8Array, capacity, shared);
    this.nodeName = newColumn(Uint32Array, capacity, shared);
    this.nodeId = newColumn(Uint32Array, capacity, shared);
    this.selfSize = newColumn(Uint32Array, capacity, shared);
    this.firstOutEdge = newColumn(Uint32Array, capacity + 1, shared);
    this.detachedness = layout.nodeDetachedness >= 0 ? newColumn(Uint8Array, capacity, shared) : null;
  }

  /** Whether every row the header announced was read, so the columns are final (no trim will copy them). */
  get complete(): boolean {
    return this.nodeCount === this.nodeKind.length;
  }

  accept(values: Float64Array, offsets: Float64Array, count: number): void {
    const layout = this.layout;
    const fieldCount = layout.nodeFieldCount;
    this.valueCount += count;
    this.lastOffset = offsets[count - 1]!;
    if (count % fieldCount !== 0) {
      throw new BadInputError(
        this.file,
        this.lastOffset,
        `the "nodes" array length to be a multiple of ${fieldCount} (the node field count)`,
        `${this.valueCount} values`,
      );
    }
    const rows = count / fieldCount;
    if (this.nodeCount + rows > this.nodeKind.length) this.grow(this.nodeCount + rows);
    const typeAt = layout.nodeType;
    const nameAt = layout.nodeName;
    const idAt = layout.nodeId;
    const sizeAt = layout.nodeSelfSize;
    const edgeCountAt = layout.nodeEdgeCount;
    const detachedAt = layout.nodeDetachedness;
    const kindOfType = layout.nodeKindOfType;
    const typeCount = kindOfType.length;
    const nodeKind = this.nodeKind;
    const nodeName = this.nodeName;
    let nodeId = this.nodeId;
    let selfSize = this.selfSize;
    let narrowIds = nodeId instanceof Uint32Array;
    let narrowSizes = selfSize instanceof Uint32Array;
    let selfSizeTotal = this.selfSizeTotal;
    const firstOutEdge = this.firstOutEdge;
    const detachedness = this.detachedness;
    let ordinal = this.nodeCount;
    let edgeSum = firstOutEdge[ordinal]!;
    let maxName = this.maxName;
    for (let row = 0; row < count; row += fieldCount) {
      const type = values[row + typeAt]!;
      if (type >= typeCount) this.fail(offsets[row + typeAt]!, `a node type below ${typeCount}`, type);
      nodeKind[ordinal] = kindOfType[type | 0]!; // `| 0`: an integer key keeps the lookup on V8's fast path
      const name = values[row + nameAt]!;
      if (name > maxUint32) this.fail(offsets[row + nameAt]!, 'a string index', name);
      nodeName[ordinal] = name;
      if (name > maxName) maxName = name;
      const id = values[row + idAt]!;
      if (narrowIds && id >>> 0 !== id) {
        nodeId = this.nodeId = widen(nodeId, this.shared);
        narrowIds = false;
      }
      nodeId[ordinal] = id;
      const size = values[row + sizeAt]!;
      if (narrowSizes && size >>> 0 !== size) {
        selfSize = this.selfSize = widen(selfSize, this.shared);
        narrowSizes = false;
      }
      selfSize[ordinal] = size;
      selfSizeTotal += size;
      edgeSum += values[row + edgeCountAt]!;
      if (edgeSum > maxUint32) this.fail(offsets[row + edgeCountAt]!, 'fewer than 2^32 edges in total', edgeSum);
      firstOutEdge[ordinal + 1] = edgeSum;
      if (detachedness !== null) detachedness[ordinal] = values[row + detachedAt]!;
      ordinal++;
    }
    this.nodeCount = ordinal;
    this.maxName = maxName;
    this.selfSizeTotal = selfSizeTotal;
  }

  /** Shrink the columns to the node count actually read (copies only when the header count was wrong). */
  trim(): void {
    // Shallow-size reattribution adds sizes together; below a 4 GiB total no sum can overflow a Uint32.
    if (this.selfSize instanceof Uint32Array && this.selfSizeTotal > maxUint32) this.selfSize = widen(this.selfSize, this.shared);
    const n = this.nodeCount;
    if (n === this.nodeKind.length) return;
    const shared = this.shared;
    this.nodeKind = growTo(this.nodeKind.subarray(0, n), newColumn(Uint8Array, n, shared));
    this.nodeName = growTo(this.nodeName.subarray(0, n), newColumn(Uint32Array, n, shared));
    this.nodeId = growTo(this.nodeId.subarray(0, n), sameColumn(this.nodeId, n, shared));
    this.selfSize = growTo(this.selfSize.subarray(0, n), sameColumn(this.selfSize, n, shared));
    this.firstOutEdge = growTo(this.firstOutEdge.subarray(0, n + 1), newColumn(Uint32Array, n + 1, shared));
    if (this.detachedness !== null) this.detachedness = growTo(this.detachedness.subarray(0, n), newColumn(Uint8Array, n, shared));
  }

  private grow(needed: number): void {
    const capacity = Math.max(needed, Math.ceil(this.nodeKind.length * 1.5), initialCapacity);
    const shared = this.shared;
    this.nodeKind = growTo(this.nodeKind, newColumn(Uint8Array, capacity, shared));
    this.nodeName = growTo(this.nodeName, newColumn(Uint32Array, capacity, shared));
    this.nodeId = growTo(this.nodeId, sameColumn(this.nodeId, capacity, shared));
    this.selfSize = growTo(this.selfSize, sameColumn(this.selfSize, capacity, shared));
    this.firstOutEdge = growTo(this.firstOutEdge, newColumn(Uint32Array, capacity + 1, shared));
    if (this.detachedness !== null) this.detachedness = growTo(this.detachedness, newColumn(Uint8Array, capacity, shared));
  }

  private fail(offset: number, expected: string, found: number): never {
    throw new BadInputError(this.file, offset, expected, String(found));
  }
}

/**
 * Edge columns filled row by row. `to_node` (a node index = ordinal × node field count) is converted to an
 * ordinal here; its range is checked once the node count is final (`checkTargets`).
 */
export class EdgeColumnsSink implements NumberBatchSink {
  edgeKind: Uint8Array;
  edgeName: Uint32Array;
  edgeTarget: Uint32Array;
  edgeCount = 0;
  valueCount = 0;
  lastOffset = 0;
  /** Node count when the nodes were read before the edges (targets checked while streaming), else -1. */
  nodeLimit = -1;
  /** Largest name among edges named by a string index (see edgeStringNamedOfType). */
  maxStringName = 0;
  /** 1 for each file edge type whose `name_or_index` is a string index. */
  readonly stringNamedOfType: Uint8Array;

  constructor(
    private readonly file: string,
    private readonly layout: SnapshotLayout,
    maxRows = Infinity,
    private readonly shared = false,
  ) {
    const capacity = layout.edgeCount >= 0 ? Math.min(layout.edgeCount, maxRows) : initialCapacity;
    this.edgeKind = newColumn(Uint8Array, capacity, shared);
    this.edgeName = newColumn(Uint32Array, capacity, shared);
    this.edgeTarget = newColumn(Uint32Array, capacity, shared);
    this.stringNamedOfType = edgeStringNamedOfType(layout);
  }

  accept(values: Float64Array, offsets: Float64Array, count: number): void {
    const layout = this.layout;
    const fieldCount = layout.edgeFieldCount;
    this.valueCount += count;
    this.lastOffset = offsets[count - 1]!;
    if (count % fieldCount !== 0) {
      throw new BadInputError(
        this.file,
        this.lastOffset,
        `the "edges" array length to be a multiple of ${fieldCount} (the edge field count)`,
        `${this.valueCount} values`,
      );
    }
    const rows = count / fieldCount;
    if (this.edgeCount + rows > this.edgeKind.length) this.grow(this.edgeCount + rows);
    const typeAt = layout.edgeType;
    const nameAt = layout.edgeNameOrIndex;
    const toAt = layout.edgeToNode;
    const kindOfType = layout.edgeKindOfType;
    const typeCount = kindOfType.length;
    const nodeFieldCount = layout.nodeFieldCount;
    const nodeLimit = this.nodeLimit < 0 ? Infinity : this.nodeLimit;
    const edgeKind = this.edgeKind;
    const edgeName = this.edgeName;
    const edgeTarget = this.edgeTarget;
    const stringNamed = this.stringNamedOfType;
    let maxStringName = this.maxStringName;
    let e = this.edgeCount;
    for (let row = 0; row < count; row += fieldCount) {
      const type = values[row + typeAt]!;
      if (type >= typeCount) this.fail(offsets[row + typeAt]!, `an edge type below ${typeCount}`, type);
      edgeKind[e] = kindOfType[type | 0]!;
      const name = values[row + nameAt]!;
      if (name > maxUint32) this.fail(offsets[row + nameAt]!, 'a name or index below 2^32', name);
      edgeName[e] = name;
      if (stringNamed[type | 0] === 1 && name > maxStringName) maxStringName = name;
      const toNode = values[row + toAt]!;
      // Floor-divide and multiply back instead of `%`, which on doubles is a slow fmod call in this hot loop.
      const target = Math.floor(toNode / nodeFieldCount);
      if (target * nodeFieldCount !== toNode || target > maxUint32) {
        this.fail(offsets[row + toAt]!, `a "to_node" that is a multiple of ${nodeFieldCount} (the node field count)`, toNode);
      }
      if (target >= nodeLimit) {
        this.fail(offsets[row + toAt]!, `a "to_node" below ${nodeLimit * nodeFieldCount} (node count × node field count)`, toNode);
      }
      edgeTarget[e] = target;
      e++;
    }
    this.edgeCount = e;
    this.maxStringName = maxStringName;
  }

  /**
   * Rows from `this.edgeCount` to `rowCount` were written into the columns by another thread (edge-split.ts), whose
   * largest string name among them was `tailMaxStringName`.
   */
  adoptTail(rowCount: number, tailMaxStringName: number): void {
    this.maxStringName = Math.max(this.maxStringName, tailMaxStringName);
    this.edgeCount = rowCount;
    this.valueCount = rowCount * this.layout.edgeFieldCount;
  }

  trim(): void {
    const n = this.edgeCount;
    if (n === this.edgeKind.length) return;
    const shared = this.shared;
    this.edgeKind = growTo(this.edgeKind.subarray(0, n), newColumn(Uint8Array, n, shared));
    this.edgeName = growTo(this.edgeName.subarray(0, n), newColumn(Uint32Array, n, shared));
    this.edgeTarget = growTo(this.edgeTarget.subarray(0, n), newColumn(Uint32Array, n, shared));
  }

  private grow(needed: number): void {
    const capacity = Math.max(needed, Math.ceil(this.edgeKind.length * 1.5), initialCapacity);
    const shared = this.shared;
    this.edgeKind = growTo(this.edgeKind, newColumn(Uint8Array, capacity, shared));
    this.edgeName = growTo(this.edgeName, newColumn(Uint32Array, capacity, shared));
    this.edgeTarget = growTo(this.edgeTarget, newColumn(Uint32Array, capacity, shared));
  }

  private fail(offset: number, expected: string, found: number): never {
    throw new BadInputError(this.file, offset, expected, String(found));
  }
}

/** Numbers kept as read, for a `nodes`/`edges` section met before the `snapshot` header (unusual order). */
export class RawNumbersSink implements NumberBatchSink {
  values = new Float64Array(initialCapacity);
  offsets = new Float64Array(initialCapacity);
  count = 0;

  accept(values: Float64Array, offsets: Float64Array, count: number): void {
    if (this.count + count > this.values.length) {
      const capacity = Math.max(this.count + count, this.values.length * 2);
      this.values = growTo(this.values, new Float64Array(capacity));
      this.offsets = growTo(this.offsets, new Float64Array(capacity));
    }
    this.values.set(values.subarray(0, count), this.count);
    this.offsets.set(offsets.subarray(0, count), this.count);
    this.count += count;
  }

  /** Replay the numbers into a real sink in batches of whole rows. */
  replayInto(sink: NumberBatchSink, stride: number): void {
    const batch = Math.max(1, Math.floor(16384 / stride)) * stride;
    for (let at = 0; at < this.count; at += batch) {
      const end = Math.min(this.count, at + batch);
      sink.accept(this.values.subarray(at, end), this.offsets.subarray(at, end), end - at);
    }
  }
}

/** 1 for each file edge type whose store kind names edges by a string index (not element/hidden, not unnamed). */
export function edgeStringNamedOfType(layout: SnapshotLayout): Uint8Array {
  return layout.edgeKindOfType.map((kind) => (edgeNameIsIndex(kind) || edgeHasNoName(kind) ? 0 : 1));
}

type ColumnConstructor<T> = { new (length: number): T; new (buffer: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number };

/** A zeroed column of `length` elements, on a SharedArrayBuffer when `shared`. */
function newColumn<T>(type: ColumnConstructor<T>, length: number, shared: boolean): T {
  return shared ? new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT)) : new type(length);
}

function growTo<T extends Uint8Array | Uint32Array | Float64Array>(old: T, grown: T): T {
  grown.set(old as never);
  return grown;
}

/** A zeroed column of the same element type as `column`. */
function sameColumn(column: NodeNumberColumn, length: number, shared: boolean): NodeNumberColumn {
  return column instanceof Uint32Array ? newColumn(Uint32Array, length, shared) : newColumn(Float64Array, length, shared);
}

/** The same values in a Float64 column of the same capacity (once per load at most, when a value is not a uint32). */
function widen(column: NodeNumberColumn, shared: boolean): Float64Array {
  const wide = newColumn(Float64Array, column.length, shared);
  wide.set(column);
  return wide;
}
