// Layer 5 (commands): resolve object references (SPEC §3): `@123` (V8 id), `0x7f…` (Python id()), a bare decimal
// id, and `$N` (row N of the previous result). The result names the snapshot the object lives in.
import { GcshError } from '../base/errors.js';
import { ordinalOfNodeId } from '../store/id-index.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';
import type { Session } from './session.js';

export interface ResolvedRef {
  readonly snapshot: LoadedSnapshot;
  readonly ordinal: number;
}

/** Parse the id a reference names; null for `$N` and for text that is no reference at all. */
export function parseRefId(text: string): number | null {
  if (/^@\d+$/.test(text)) return Number(text.slice(1));
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^\d+$/.test(text)) return Number(text);
  return null;
}

export function resolveRef(session: Session, text: string): ResolvedRef {
  const rowMatch = /^\$(\d+)$/.exec(text);
  if (rowMatch) {
    const row = Number(rowMatch[1]);
    const record = session.previousRows[row - 1 - session.previousRowOffset];
    if (!record) {
      const count = session.previousRows.length;
      const first = session.previousRowOffset + 1;
      throw new GcshError('unknown-object', count === 0 ? `${text}: the previous result has no object rows` : `${text}: the previous result has rows $${first}..$${first + count - 1}`);
    }
    const snapshot = session.byName(record.snapshot);
    if (!snapshot) throw new GcshError('unknown-object', `${text}: snapshot '${record.snapshot}' is no longer loaded`);
    return { snapshot, ordinal: record.ordinal };
  }
  const snapshot = session.current();
  const id = parseRefId(text);
  if (id === null) throw new GcshError('bad-argument', `'${text}' is not an object reference (use @id, 0x…, a decimal id, or $N)`);
  const ordinal = ordinalOfNodeId(snapshot.store, id);
  if (ordinal < 0) throw new GcshError('unknown-object', `no object ${text} in snapshot '${snapshot.name}'`);
  return { snapshot, ordinal };
}
