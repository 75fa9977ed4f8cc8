// Layer 8 (cli): the bundled demo snapshots `gcsh --demo` opens (made reproducibly by scripts/make-demo.mjs).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GcshError } from '../base/errors.js';
import { packageRoot } from './package-files.js';

export function demoSnapshotFiles(): string[] {
  const folder = join(packageRoot(), 'demo');
  if (!existsSync(folder)) throw new GcshError('unreadable-file', `demo snapshots are missing (${folder}); run \`node scripts/make-demo.mjs\``);
  // Node series first, then the Python app, so the seed's Python scenario ends up current.
  const files = readdirSync(folder).filter((file) => /\.(heapsnapshot|pyheap)(\.gz)?$/.test(file));
  const rank = (file: string) => (file.includes('.pyheap') ? 1 : 0);
  return files.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)).map((file) => join(folder, file));
}

/** The one-line hint `--demo` prints after loading. */
export const demoHint =
  "demo: a Python app with cyclic garbage and a growing cache (current), and a leaking Node service (node-leak-1..3).\n" +
  'try: garbage · cycles · retainers $1 · growth · find Order · use node-leak-3 · growth --steps · help';
