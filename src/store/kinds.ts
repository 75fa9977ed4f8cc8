// Layer 1 (store): the canonical node and edge kinds shared by V8 and Python stores.
// The first values follow V8's HeapEntry::Type and HeapGraphEdge::Type order so the V8 reader maps them 1:1;
// Python adds edge kinds for its own labels. A store may append kinds it met but does not know (their names
// are kept in the store's nodeKindNames/edgeKindNames after the canonical ones).

export const NodeKind = {
  hidden: 0,
  array: 1,
  string: 2,
  object: 3,
  code: 4,
  closure: 5,
  regexp: 6,
  number: 7,
  native: 8,
  synthetic: 9,
  concatenatedString: 10,
  slicedString: 11,
  symbol: 12,
  bigint: 13,
  objectShape: 14,
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

/** Canonical node kind names, indexed by NodeKind; identical to V8's `node_types[type]` strings. */
export const canonicalNodeKindNames: readonly string[] = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
];

export const EdgeKind = {
  context: 0,
  element: 1,
  property: 2,
  internal: 3,
  hidden: 4,
  shortcut: 5,
  weak: 6,
  /** Python: a dict value reached through a key; the name is the key's short repr. */
  key: 7,
  /** Python: a frame local variable; the name is the variable name. */
  local: 8,
  /** Python: a closure cell; the name is the free variable name. */
  closure: 9,
  /** Python: a set/frozenset member, or any reference with no better label; no name. */
  member: 10,
} as const;
export type EdgeKind = (typeof EdgeKind)[keyof typeof EdgeKind];

export const canonicalEdgeKindNames: readonly string[] = [
  'context',
  'element',
  'property',
  'internal',
  'hidden',
  'shortcut',
  'weak',
  'key',
  'local',
  'closure',
  'member',
];

/** Edge kinds whose `edgeName` column holds an integer index rather than a string-table index. */
export function edgeNameIsIndex(kind: number): boolean {
  return kind === EdgeKind.element || kind === EdgeKind.hidden;
}

/** Edge kinds whose `edgeName` column holds nothing meaningful. */
export function edgeHasNoName(kind: number): boolean {
  return kind === EdgeKind.member;
}
