// Layer 2 (formats): the .pyheap file format's constants, header type and sniffing (docs/pyheap-format.md).
// gcsh_agent.py writes it; read-pyheap.ts reads it. Kind codes here are the file's own, mapped onto the store's.
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { EdgeKind, NodeKind } from '../../store/kinds.js';

/** `\x89PYHEAP\n`: a high byte first so text tools treat it as binary, a newline last to catch CRLF mangling. */
export const pyheapMagic = Uint8Array.of(0x89, 0x50, 0x59, 0x48, 0x45, 0x41, 0x50, 0x0a);
/** The newest format version this reader understands. */
export const pyheapFormatVersion = 1;
/** Magic (8 bytes) + u32 format version. */
export const pyheapPreambleBytes = 12;
/** Section header: 4-byte ASCII tag + u32 payload length. */
export const sectionHeaderBytes = 8;
/** Bytes per node in a NODE section: id f64, size f64, refcount f64, type u32, repr u32, edgeCount u32, flags u16,
 * generation i8, kind u8. */
export const nodeRecordBytes = 40;
/** Bytes per edge in an EDGE section: target id f64, name u32, kind u8. */
export const edgeRecordBytes = 13;

/** File edge kinds (the agent's E_* constants). */
export const PyEdgeKind = {
  internal: 0,
  element: 1,
  attribute: 2,
  dictValue: 3,
  local: 4,
  closure: 5,
  member: 6,
  /** weakref -> referent: not a tp_traverse edge, so never counted by the collector. */
  weak: 7,
} as const;
export const pyEdgeKindCount = 8;

/** File edge kind -> store EdgeKind. */
export const storeEdgeKindOf: Uint8Array = Uint8Array.from([
  EdgeKind.internal,
  EdgeKind.element,
  EdgeKind.property,
  EdgeKind.key,
  EdgeKind.local,
  EdgeKind.closure,
  EdgeKind.member,
  EdgeKind.weak,
]);

/** File node kinds (the agent's K_* constants), in order. */
export const pyNodeKindNames = [
  'object',
  'str',
  'bytes',
  'number',
  'list',
  'tuple',
  'dict',
  'set',
  'function',
  'code',
  'frame',
  'type',
  'module',
  'cell',
  'method',
  'weakref',
  'generator',
  'exception',
  'traceback',
  'none',
] as const;
export const pyNodeKindCount = pyNodeKindNames.length;
/** The file node kinds the reader treats specially (implicit element and member edges). */
export const PyNodeKind = { list: 4, tuple: 5, set: 7 } as const;

/** File node kind -> store NodeKind: containers read as arrays, functions as closures, code and frames as code. */
export const storeNodeKindOf: Uint8Array = Uint8Array.from([
  NodeKind.object, // object
  NodeKind.string, // str
  NodeKind.string, // bytes
  NodeKind.number, // int, float, complex, bool
  NodeKind.array, // list
  NodeKind.array, // tuple
  NodeKind.object, // dict
  NodeKind.array, // set, frozenset
  NodeKind.closure, // function
  NodeKind.code, // code
  NodeKind.code, // frame
  NodeKind.object, // type
  NodeKind.object, // module
  NodeKind.object, // cell
  NodeKind.closure, // bound method
  NodeKind.object, // weakref
  NodeKind.object, // generator, coroutine
  NodeKind.object, // exception
  NodeKind.code, // traceback
  NodeKind.object, // None, NotImplemented, Ellipsis
]);

/** The HEAD section's JSON, as written by the agent. Unknown fields are kept and ignored. */
export interface PyheapHeader {
  readonly format: 'pyheap';
  readonly version: number;
  readonly agent?: string;
  readonly python: {
    readonly version: string;
    readonly full?: string;
    readonly hexversion?: number;
    readonly implementation?: string;
    readonly freeThreaded?: boolean;
    readonly platform?: string;
  };
  readonly pid?: number;
  readonly time?: number;
  readonly argv?: readonly string[];
  readonly gc?: {
    readonly enabled: boolean;
    readonly debug: number;
    readonly threshold: readonly number[];
    readonly count?: readonly number[];
    readonly garbageCount: number;
    readonly freezeCount: number;
  };
  readonly refcountOverhead?: number;
  readonly generations?: readonly number[] | null;
  readonly trackedCount?: number;
  readonly leafCount?: number;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly rootCount?: number;
  readonly stringCount?: number;
  readonly reprs?: 'user' | 'builtin' | 'none';
  readonly captureSeconds?: number;
}

/** gc.DEBUG_SAVEALL: when the dumped process had it set, its gc.garbage holds finalized, re-saved zombies. */
export const gcDebugSaveAll = 32;

/**
 * Whether these first bytes of a file start a .pyheap snapshot, plain or gzip-compressed. Give at least 12 bytes
 * (a few hundred for gzip, whose header comes first). Never throws.
 */
export function isPyheap(firstBytes: Uint8Array): boolean {
  if (startsWithMagic(firstBytes)) return true;
  if (firstBytes.length < 18 || firstBytes[0] !== 0x1f || firstBytes[1] !== 0x8b) return false;
  try {
    // Partial input: a sync flush returns what inflates so far instead of failing on the missing end.
    const inflated = gunzipSync(firstBytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return startsWithMagic(inflated);
  } catch {
    return false;
  }
}

export function startsWithMagic(bytes: Uint8Array): boolean {
  if (bytes.length < pyheapMagic.length) return false;
  for (let i = 0; i < pyheapMagic.length; i++) if (bytes[i] !== pyheapMagic[i]) return false;
  return true;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
