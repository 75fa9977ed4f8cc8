// Layer 1 (store): build a store from nodes and edges added one at a time, in any order. Used by the Python
// reader (edges arrive per object) and by tests (`graph('root->a a->b')`-style fixtures).
import type { GraphStore, HeapLanguage, PythonColumns, StoreSource, V8Extras } from './graph-store.js';
import { assembleStore } from './assemble.js';
import { canonicalEdgeKindNames, canonicalNodeKindNames, edgeHasNoName, edgeNameIsIndex } from './kinds.js';
import { StringTableBuilder } from './string-table.js';

export interface NodeInput {
  kind: number;
  name: string;
  id: number;
  selfSize: number;
}

export class GraphBuilder {
  readonly strings = new StringTableBuilder();
  private readonly stringIndex = new Map<string, number>(); // per distinct string, not per object
  private nodeKind: number[] = [];
  private nodeName: number[] = [];
  private nodeId: number[] = [];
  private selfSize: number[] = [];
  private edgeSource: number[] = [];
  private edgeKind: number[] = [];
  private edgeName: number[] = [];
  private edgeTarget: number[] = [];

  constructor(firstString = '<dummy>') {
    this.intern(firstString);
  }

  /** Index of `value` in the string table, adding it once. */
  intern(value: string): number {
    let index = this.stringIndex.get(value);
    if (index === undefined) {
      index = this.strings.append(value);
      this.stringIndex.set(value, index);
    }
    return index;
  }

  get nodeCount(): number {
    return this.nodeKind.length;
  }

  /** Add a node; returns its ordinal. */
  addNode(node: NodeInput): number {
    this.nodeKind.push(node.kind);
    this.nodeName.push(this.intern(node.name));
    this.nodeId.push(node.id);
    this.selfSize.push(node.selfSize);
    return this.nodeKind.length - 1;
  }

  /** Add an edge; `name` is a string for named kinds and a number for element/hidden kinds. */
  addEdge(from: number, kind: number, name: string | number, to: number): void {
    this.edgeSource.push(from);
    this.edgeKind.push(kind);
    if (edgeNameIsIndex(kind)) this.edgeName.push(typeof name === 'number' ? name : Number(name));
    else if (edgeHasNoName(kind)) this.edgeName.push(0);
    else this.edgeName.push(this.intern(String(name)));
    this.edgeTarget.push(to);
  }

  build(options: {
    language: HeapLanguage;
    source?: StoreSource;
    rootOrdinal?: number;
    v8?: V8Extras | null;
    python?: PythonColumns | null;
  }): GraphStore {
    const nodeCount = this.nodeKind.length;
    const edgeCount = this.edgeTarget.length;
    // Stable counting sort of edges by source, so each node's edges keep the order they were added in.
    const firstOutEdge = new Uint32Array(nodeCount + 1);
    for (let e = 0; e < edgeCount; e++) firstOutEdge[this.edgeSource[e]! + 1]++;
    for (let i = 0; i < nodeCount; i++) firstOutEdge[i + 1] += firstOutEdge[i]!;
    const cursor = firstOutEdge.slice(0, nodeCount);
    const edgeKind = new Uint8Array(edgeCount);
    const edgeName = new Uint32Array(edgeCount);
    const edgeTarget = new Uint32Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) {
      const slot = cursor[this.edgeSource[e]!]++;
      edgeKind[slot] = this.edgeKind[e]!;
      edgeName[slot] = this.edgeName[e]!;
      edgeTarget[slot] = this.edgeTarget[e]!;
    }
    return assembleStore({
      language: options.language,
      source: options.source ?? { path: '<built>', format: options.language === 'v8' ? 'heapsnapshot' : 'pyheap', byteSize: 0, mtimeMs: 0 },
      rootOrdinal: options.rootOrdinal ?? 0,
      strings: this.strings.build(),
      nodeKindNames: canonicalNodeKindNames,
      edgeKindNames: canonicalEdgeKindNames,
      nodeKind: Uint8Array.from(this.nodeKind),
      nodeName: Uint32Array.from(this.nodeName),
      nodeId: Float64Array.from(this.nodeId),
      selfSize: Float64Array.from(this.selfSize),
      firstOutEdge,
      edgeKind,
      edgeName,
      edgeTarget,
      v8: options.v8 === undefined ? (options.language === 'v8' ? { extraNativeBytes: 0, detachedness: null, hasTraceNodeIds: false } : null) : options.v8,
      python: options.python ?? null,
    });
  }
}
