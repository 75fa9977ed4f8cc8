// Layer 3 (analyses): the class of every node. V8 follows DevTools calculateObjectNames plus its interface
// inference for plain Objects ("{a, b, c}"); Python uses the qualified type name. Classes are interned by
// content so keys are strings, comparable across snapshots (string indexes are not).
import { newUint16Array, newUint32Array, newUint8Array } from '../base/large-arrays.js';
import { throwIfCancelled, type CancelToken } from '../base/cancel.js';
import type { ClassColumn } from '../store/derived.js';
import type { GraphStore } from '../store/graph-store.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { stringEquals } from './string-match.js';
import { edgeKindShift, edgeNameOf } from '../store/edge-packing.js';

export interface ClassNames {
  readonly classOf: ClassColumn;
  readonly classNames: readonly string[];
}

/**
 * DevTools limits (HeapSnapshot.ts): each interface is proposed by ≥ 2 objects and by ≥ 1 in 1000 of all plain
 * Objects (MIN_OBJECT_PROPORTION_PER_INTERFACE), names ≤ 120 chars. The proportion rule alone keeps the list to at
 * most 1000 interfaces; maxInterfaceCount only restates that bound.
 */
export const maxInterfaceCount = 1000;
export const minObjectsPerInterface = 2;
export const minObjectProportionPerInterface = 1000;
export const maxInterfaceNameLength = 120;

/** An inferred plain-object shape: the class name `{a, b}` and its property names in edge order. */
export interface InterfaceDefinition {
  readonly name: string;
  readonly properties: readonly string[];
}

/** Interns class names; one Map entry per distinct class, never per object. */
class ClassTable {
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  intern(name: string): number {
    let index = this.byName.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.byName.set(name, index);
    }
    return index;
  }
}

/**
 * Class per node. V8: hidden → "(system)", code → "(compiled code)", closure → "Function", regexp → "RegExp",
 * object/native → name ("<div id=x>" → "<div>", "Detached <div …>" → "Detached <div>"; a native node detached by
 * DOM-state propagation is named "Detached " + name first), others "(" + kind + ")"; then plain Objects take the
 * best inferred interface. Python: the node name. `domState` comes from propagateDomState (or null).
 * Returns the interface definitions too, so a comparison can reclassify another snapshot with them;
 * `interfaceOverride` applies given definitions instead of inferring this store's own (DevTools
 * aggregatesForDiff classifies the base snapshot under the current snapshot's interfaces).
 */
export function computeClassNames(
  store: GraphStore,
  domState: Uint8Array | null,
  cancel?: CancelToken,
  interfaceOverride?: readonly InterfaceDefinition[],
): ClassNames & { interfaces: readonly InterfaceDefinition[] } {
  const classOf = new ClassColumnWriter(store.nodeCount);
  const table = new ClassTable();
  const byString = new Int32Array(store.strings.count).fill(-1);
  if (store.language !== 'v8') {
    for (let i = 0; i < store.nodeCount; i++) classOf.set(i, classOfString(store, table, byString, store.nodeName[i]!, ''));
    return { classOf: classOf.column, classNames: table.names, interfaces: [] };
  }
  const { nodeKind, nodeName, nodeCount, nodeKindNames } = store;
  const kindClass = nodeKindNames.map((name) => table.intern(`(${name})`));
  const hiddenClass = table.intern('(system)');
  const codeClass = table.intern('(compiled code)');
  const functionClass = table.intern('Function');
  const regexpClass = table.intern('RegExp');
  const detachedByString = new Int32Array(domState ? store.strings.count : 0).fill(-1);
  for (let i = 0; i < nodeCount; i++) {
    if ((i & 0xffff) === 0) throwIfCancelled(cancel);
    const kind = nodeKind[i]!;
    let c: number;
    if (kind === NodeKind.object || kind === NodeKind.native) {
      if (domState !== null && kind === NodeKind.native && domState[i] === 2) c = classOfString(store, table, detachedByString, nodeName[i]!, 'Detached ');
      else c = classOfString(store, table, byString, nodeName[i]!, '');
    } else if (kind === NodeKind.hidden) c = hiddenClass;
    else if (kind === NodeKind.code) c = codeClass;
    else if (kind === NodeKind.closure) c = functionClass;
    else if (kind === NodeKind.regexp) c = regexpClass;
    else c = kindClass[kind] ?? table.intern(`(${nodeKindNames[kind] ?? kind})`);
    classOf.set(i, c);
  }
  const interfaces = interfaceOverride ?? inferInterfaceDefinitions(store, cancel);
  applyInterfaceDefinitions(store, interfaces, classOf, (name) => table.intern(name), cancel);
  return { classOf: classOf.column, classNames: table.names, interfaces };
}

/**
 * Class indexes in the narrowest column that holds them so far: 8 bits (a big heap usually has a few hundred
 * classes at most), widened by one copy to 16 or 32 bits when an index outgrows it.
 */
export class ClassColumnWriter {
  column: ClassColumn;
  private limit = 1 << 8;

  constructor(nodeCount: number) {
    this.column = newUint8Array(nodeCount);
  }

  set(ordinal: number, classIndex: number): void {
    if (classIndex >= this.limit) this.widen(classIndex);
    this.column[ordinal] = classIndex;
  }

  private widen(classIndex: number): void {
    const wide = classIndex < 1 << 16 ? newUint16Array(this.column.length) : newUint32Array(this.column.length);
    wide.set(this.column);
    this.column = wide;
    this.limit = wide instanceof Uint16Array ? 1 << 16 : Infinity;
  }
}

function classOfString(store: GraphStore, table: ClassTable, cache: Int32Array, stringIndex: number, prefix: string): number {
  const cached = cache[stringIndex]!;
  if (cached >= 0) return cached;
  // DevTools renames detached nodes by prefixing unconditionally, then derives the class from the new name.
  const name = prefix + store.strings.get(stringIndex);
  const index = table.intern(store.language === 'v8' ? domClassName(name) : name);
  cache[stringIndex] = index;
  return index;
}

/** "<div id=a>" → "<div>", "Detached <div id=a>" → "Detached <div>"; other names unchanged. */
export function domClassName(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ');
    return space === -1 ? name : name.substring(0, space) + '>';
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10);
    return space === -1 ? name : name.substring(0, space) + '>';
  }
  return name;
}

/** DevTools formatPropertyName: names with , ' " { } are JSON-quoted. */
export function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify(name) : name;
}

/** Plain JS objects: `object` nodes named exactly "Object". */
function plainObjectPredicate(store: GraphStore): (ordinal: number) => boolean {
  const isObjectName = stringEquals(store.strings, 'Object');
  const { nodeKind, nodeName } = store;
  return (i) => nodeKind[i] === NodeKind.object && isObjectName(nodeName[i]!);
}

/** Edge-name decoding cached per string index (property names repeat across millions of objects). */
function edgeNameReader(store: GraphStore): (stringIndex: number) => string {
  const cache: (string | undefined)[] = [];
  return (index) => {
    let name = cache[index];
    if (name === undefined) {
      name = store.strings.get(index);
      cache[index] = name;
    }
    return name;
  };
}

/**
 * DevTools inferInterfaceDefinitions: each plain Object proposes "{p1, p2, …}" from its property edges in edge
 * order (skipping __proto__, stopping before the name would pass 120 chars, keeping at least one); the most
 * popular candidates proposed by at least max(2, plain Objects / 1000) objects are kept — every plain Object counts
 * toward that total, even one with no properties — most popular first (ties: first seen).
 */
export function inferInterfaceDefinitions(store: GraphStore, cancel?: CancelToken): InterfaceDefinition[] {
  const isPlain = plainObjectPredicate(store);
  const nameOf = edgeNameReader(store);
  const { firstOutEdge, edgeKindAndName, nodeCount } = store;
  const candidates = new Map<string, { name: string; properties: string[]; count: number }>();
  let plainObjectCount = 0;
  for (let i = 0; i < nodeCount; i++) {
    if ((i & 0xffff) === 0) throwIfCancelled(cancel);
    if (!isPlain(i)) continue;
    plainObjectCount++;
    let interfaceName = '{';
    const properties: string[] = [];
    for (let e = firstOutEdge[i]!; e < firstOutEdge[i + 1]!; e++) {
      if ((edgeKindAndName[e]! >>> edgeKindShift) !== EdgeKind.property) continue;
      const name = nameOf(edgeNameOf(store, e));
      if (name === '__proto__') continue;
      const formatted = formatPropertyName(name);
      if (interfaceName.length > 1 && interfaceName.length + formatted.length > maxInterfaceNameLength) break;
      if (interfaceName.length !== 1) interfaceName += ', ';
      interfaceName += formatted;
      properties.push(name);
    }
    if (properties.length === 0) continue;
    interfaceName += '}';
    const candidate = candidates.get(interfaceName);
    if (candidate) candidate.count++;
    else candidates.set(interfaceName, { name: interfaceName, properties, count: 1 });
  }
  const sorted = [...candidates.values()].sort((a, b) => b.count - a.count);
  const result: InterfaceDefinition[] = [];
  // Not rounded: DevTools compares the count with the exact quotient.
  const minCount = Math.max(minObjectsPerInterface, plainObjectCount / minObjectProportionPerInterface);
  for (let k = 0; k < sorted.length && k < maxInterfaceCount; k++) {
    const candidate = sorted[k]!;
    if (candidate.count < minCount) break;
    result.push({ name: candidate.name, properties: candidate.properties });
  }
  return result;
}

interface TrieNode {
  readonly next: Map<string, TrieNode>;
  match: { name: string; propertyCount: number; index: number } | null;
  greatestNext: string | null;
}
type Match = NonNullable<TrieNode['match']>;

function betterMatch(a: Match, b: Match | null): Match {
  if (!b || a.propertyCount > b.propertyCount) return a;
  if (b.propertyCount > a.propertyCount) return b;
  return a.index <= b.index ? a : b;
}

/**
 * DevTools applyInterfaceDefinitions: each plain Object gets the interface whose properties are the largest
 * subset of its own (all property edges, sorted); ties go to the earlier (more popular) interface; no match
 * keeps "Object". Walks a trie of sorted interface properties. `intern` maps a class name to its class index.
 */
export function applyInterfaceDefinitions(
  store: GraphStore,
  definitions: readonly InterfaceDefinition[],
  classOf: ClassColumnWriter,
  intern: (name: string) => number,
  cancel?: CancelToken,
): void {
  if (definitions.length === 0) return;
  const root: TrieNode = { next: new Map(), match: null, greatestNext: null };
  definitions.forEach((definition, index) => {
    const properties = [...definition.properties].sort();
    let node = root;
    for (const property of properties) {
      let next = node.next.get(property);
      if (!next) {
        next = { next: new Map(), match: null, greatestNext: null };
        node.next.set(property, next);
        if (node.greatestNext === null || node.greatestNext < property) node.greatestNext = property;
      }
      node = next;
    }
    if (!node.match) node.match = { name: definition.name, propertyCount: properties.length, index };
  });
  const fallback: Match = { name: 'Object', propertyCount: 0, index: Infinity };
  const isPlain = plainObjectPredicate(store);
  const nameOf = edgeNameReader(store);
  const { firstOutEdge, edgeKindAndName, nodeCount } = store;
  const properties: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    if ((i & 0xffff) === 0) throwIfCancelled(cancel);
    if (!isPlain(i)) continue;
    properties.length = 0;
    for (let e = firstOutEdge[i]!; e < firstOutEdge[i + 1]!; e++) if ((edgeKindAndName[e]! >>> edgeKindShift) === EdgeKind.property) properties.push(nameOf(edgeNameOf(store, e)));
    properties.sort();
    const states = new Set<TrieNode>([root]);
    let match = betterMatch(fallback, root.match);
    for (const property of properties) {
      for (const state of [...states]) {
        if (state.greatestNext === null || property >= state.greatestNext) states.delete(state);
        const next = state.next.get(property);
        if (next) {
          states.add(next);
          match = betterMatch(match, next.match);
        }
      }
    }
    if (match !== fallback) classOf.set(i, intern(match.name));
  }
}
