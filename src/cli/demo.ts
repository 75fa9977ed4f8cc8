// Layer 8 (cli): the bundled demo snapshots `gcsh --demo` opens (made reproducibly by scripts/make-demo.mjs).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GcshError } from '../base/errors.js';
import { packageRoot } from './package-files.js';

export function demoSnapshotFiles(): string[] {
  const folder = join(packageRoot(), 'demo');
  if (!existsSync(folder)) throw new GcshError('unreadable-file', `demo snapshots are missing (${folder}); run \`node scripts/make-demo.mjs\``);
  return readdirSync(folder)
    .filter((file) => /\.(heapsnapshot|pyheap)(\.gz)?$/.test(file))
    .sort()
    .map((file) => join(folder, file));
}
