// Parity tooling: write the Node snapshots the DevTools comparison runs on, into test/bench/work/parity/snapshots/.
//   node --import tsx test/parity/make-snapshots.ts [--medium N]      (N objects in the medium heap, default 300000)
// Prints the paths (the Chromium page comes from chromium-snapshot.mjs); compare them with `node --max-old-space-size=8192 test/parity/compare.mjs PATH…`.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeSnapshotOf } from '../support/snapshots.js';
import { workDir } from './build-devtools.mjs';
import { knownShapes, mediumHeap, weakAndClosures, writeVariantSnapshotOf } from './parity-programs.js';

const args = process.argv.slice(2);
const mediumIndex = args.indexOf('--medium');
const mediumCount = mediumIndex >= 0 ? Number(args[mediumIndex + 1]) : 300_000;
const dir = join(workDir, 'snapshots');
mkdirSync(dir, { recursive: true });
const jobs: Array<[string, string, typeof writeSnapshotOf]> = [
  ['known-shapes.heapsnapshot', knownShapes, writeSnapshotOf],
  ['weak-closures.heapsnapshot', weakAndClosures, writeSnapshotOf],
  ['variants.heapsnapshot', weakAndClosures, writeVariantSnapshotOf],
  ['medium.heapsnapshot', mediumHeap(mediumCount), writeSnapshotOf],
];
for (const [name, program, write] of jobs) {
  const started = performance.now();
  const path = write(program, join(dir, name));
  const mb = statSync(path).size / 2 ** 20;
  console.log(`${path}\t${mb.toFixed(1)} MB\t${((performance.now() - started) / 1000).toFixed(1)} s`);
}
