// Layer 1 (store): the index cache policy for one snapshot: read the first acceptable index from its candidate
// places, and save a fresh one to the first place that takes it. Problems are returned as data, never thrown.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DerivedIndexes } from './derived.js';
import type { GraphStore } from './graph-store.js';
import { type ExpectedSource, readIndexFile, writeIndexFile } from './index-file.js';
import { type IndexLocationOptions, openIndexLocation } from './index-path.js';

export type CachedIndexLoad = { store: GraphStore; derived: DerivedIndexes; path: string } | { rejected: readonly string[] };

/**
 * Load the index of the snapshot described by `expected` (expected.path is the snapshot), trying beside the
 * snapshot first, then the cache directory. Returns every rejection reason when none is usable (missing, stale…).
 */
export async function loadCachedIndex(expected: ExpectedSource, options: IndexLocationOptions = {}): Promise<CachedIndexLoad> {
  const location = await openIndexLocation(expected.path, options);
  const reasons: string[] = [];
  for (const path of location.readPaths) {
    const result = await readIndexFile(path, expected);
    if ('rejected' in result) reasons.push(result.rejected);
    else return { ...result, path };
  }
  return { rejected: reasons };
}

export type CachedIndexSave = { path: string } | { failed: readonly string[] };

/**
 * Save the index for `snapshotPath` to the first writable place (creating the cache directory if needed).
 * Each write is atomic, so a failure leaves no partial file; the reasons of all failed attempts come back.
 */
export async function saveCachedIndex(
  snapshotPath: string,
  store: GraphStore,
  derived: DerivedIndexes,
  options: IndexLocationOptions = {},
): Promise<CachedIndexSave> {
  const location = await openIndexLocation(snapshotPath, options);
  const failures: string[] = [];
  for (const path of location.writePaths) {
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeIndexFile(path, store, derived);
      return { path };
    } catch (error) {
      failures.push(`cannot write index file ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { failed: failures };
}
