// Layer 5 (commands): what survives between commands — loaded snapshots, the current one, the previous result's
// rows (for `$N`), the pager cursor (for `more`), options set with `set`, and the command history. Designed so a
// live target can add snapshots the same way a file load does.
import { GcshError } from '../base/errors.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';
import type { ObjectRecord } from './types.js';

export interface SessionOptions {
  /** Default row limit of list commands (SPEC §4: 20). */
  limit: number;
  /** Read and write index files beside snapshots (`--no-index` turns it off). */
  useIndex: boolean;
  /** Where index files go when the snapshot's folder is read-only (tests point it at a temp dir). */
  cacheDir?: string;
  /** Report a load as soon as it is ready and write its index afterwards; the front door must then await
   * whenIndexWritesSettle() before the process ends (batch mode does). */
  indexInBackground?: boolean;
}

export interface PagerCursor {
  /** The command line to re-run, without its own --offset. */
  readonly line: string;
  readonly nextOffset: number;
  readonly total: number;
}

export class Session {
  readonly options: SessionOptions;
  private readonly loaded: LoadedSnapshot[] = [];
  private currentIndex = -1;
  /** Rows of the previous result that name objects, by row number (1-based, continuing across `more`). */
  previousRows: ObjectRecord[] = [];
  previousRowOffset = 0;
  pager: PagerCursor | null = null;
  readonly history: string[] = [];

  constructor(options: Partial<SessionOptions> = {}) {
    this.options = { limit: 20, useIndex: true, ...options };
  }

  get snapshots(): readonly LoadedSnapshot[] {
    return this.loaded;
  }

  /** The current snapshot, or a clear error when none is loaded. */
  current(): LoadedSnapshot {
    const snapshot = this.loaded[this.currentIndex];
    if (!snapshot) throw new GcshError('no-snapshot', 'no snapshot loaded — `load FILE` first');
    return snapshot;
  }

  hasCurrent(): boolean {
    return this.currentIndex >= 0;
  }

  /** Snapshot by name (exact, then case-insensitive). */
  byName(name: string): LoadedSnapshot | undefined {
    return this.loaded.find((s) => s.name === name) ?? this.loaded.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  /** A name not yet taken, derived from `wanted`. */
  uniqueName(wanted: string): string {
    if (!this.byName(wanted)) return wanted;
    for (let n = 2; ; n++) if (!this.byName(`${wanted}-${n}`)) return `${wanted}-${n}`;
  }

  /** Add a snapshot and make it current. */
  add(snapshot: LoadedSnapshot): void {
    const existing = this.loaded.findIndex((s) => s.name === snapshot.name);
    if (existing >= 0) {
      this.loaded[existing] = snapshot;
      this.currentIndex = existing;
    } else {
      this.loaded.push(snapshot);
      this.currentIndex = this.loaded.length - 1;
    }
  }

  use(name: string): LoadedSnapshot {
    const snapshot = this.byName(name);
    if (!snapshot) {
      const names = this.loaded.map((s) => s.name);
      throw new GcshError('bad-argument', `no snapshot named '${name}'${names.length ? ` (loaded: ${names.join(', ')})` : ''}`);
    }
    this.currentIndex = this.loaded.indexOf(snapshot);
    return snapshot;
  }

  /** Remember the rows of the result just shown so `$N` can name them. */
  rememberRows(rows: readonly ObjectRecord[], offset: number): void {
    this.previousRows = [...rows];
    this.previousRowOffset = offset;
  }
}
