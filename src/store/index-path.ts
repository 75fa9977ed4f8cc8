// Layer 1 (store): where a snapshot's index file lives. Beside the snapshot (`<snapshot>.gcshidx`) when that
// directory is writable, otherwise in the user's cache directory under a name derived from the snapshot's path.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

export const indexFileExtension = '.gcshidx';

export interface IndexPathOptions {
  /** Overrides the cache directory (default: defaultIndexCacheDir()). */
  readonly cacheDir?: string;
  /** Environment to read XDG_CACHE_HOME / HOME from (default process.env); injectable for tests. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface IndexLocationOptions extends IndexPathOptions {
  /**
   * Whether a directory accepts new files. Default: fs.access W_OK. Injectable because root passes W_OK even on
   * read-only directories, so tests cannot rely on chmod.
   */
  readonly isWritable?: (directory: string) => Promise<boolean>;
}

/** `$XDG_CACHE_HOME/gcsh` when XDG_CACHE_HOME is an absolute path (XDG Base Directory spec), else `~/.cache/gcsh`. */
export function defaultIndexCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'gcsh');
  return join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), '.cache', 'gcsh');
}

/**
 * The two places an index for `snapshotPath` may live. `primary` sits beside the snapshot; `fallback` is in the
 * cache directory, named `<basename>-<hash>.gcshidx` where the hash (SHA-256 of the absolute path, 16 hex digits)
 * keeps snapshots with the same name in different folders apart and the basename keeps the folder readable.
 */
export function indexPathFor(snapshotPath: string, options: IndexPathOptions = {}): { primary: string; fallback: string } {
  const absolute = resolve(snapshotPath);
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  const readableName = basename(absolute).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  const cacheDir = options.cacheDir ?? defaultIndexCacheDir(options.env);
  return { primary: absolute + indexFileExtension, fallback: join(cacheDir, `${readableName}-${hash}${indexFileExtension}`) };
}

export interface IndexLocation {
  /** Where to look for an existing index, in order: beside the snapshot first, then the cache directory. */
  readonly readPaths: readonly string[];
  /**
   * Where to try writing a new index, in order. Beside the snapshot only when its directory is writable; the
   * cache path always (its directory may need creating, and a write can still fail, e.g. EROFS or ENOSPC).
   */
  readonly writePaths: readonly string[];
}

/** Decide where to read and write the index for `snapshotPath`. No side effects beyond the writability probe. */
export async function openIndexLocation(snapshotPath: string, options: IndexLocationOptions = {}): Promise<IndexLocation> {
  const { primary, fallback } = indexPathFor(snapshotPath, options);
  const isWritable = options.isWritable ?? isDirectoryWritable;
  const besideWritable = await isWritable(dirname(primary));
  return { readPaths: [primary, fallback], writePaths: besideWritable ? [primary, fallback] : [fallback] };
}

/** fs.access(W_OK | X_OK): can files be created in `directory`? */
export async function isDirectoryWritable(directory: string): Promise<boolean> {
  try {
    await access(directory, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
