// DevTools parity run (docs/parity.md): build Chrome DevTools' heap snapshot worker bundle from the npm registry,
// write the parity snapshots (Node programs, plus a Chromium page when `chromium` is installed; plus the benchmark's
// tsc heap when present), and compare each
// with gcsh. `npm run build` first: the comparison runs dist/ and bin/gcsh.js.
//   node scripts/parity.mjs [--medium N] [--json OUT]     (N objects in the medium heap; default 150000 ≈ 80 MB)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const medium = option('--medium', '150000');
const jsonOut = option('--json', null);
const snapshots = join(root, 'test/bench/work/parity/snapshots');

const run = (argv) => {
  const result = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
};
if (run(['test/parity/build-devtools.mjs']) !== 0) process.exit(1);
if (run(['--import', 'tsx', 'test/parity/make-snapshots.ts', '--medium', medium]) !== 0) process.exit(1);
const files = ['demo/node-leak-1.heapsnapshot.gz', 'demo/node-leak-2.heapsnapshot.gz', 'demo/node-leak-3.heapsnapshot.gz',
  ...['known-shapes', 'weak-closures', 'variants'].map((n) => join(snapshots, `${n}.heapsnapshot`))];
let hasChromium = false;
try {
  execFileSync('chromium', ['--version'], { stdio: 'ignore' });
  hasChromium = true;
} catch {
  console.log('no chromium on PATH: skipping the browser snapshot (apt-get install chromium)');
}
if (hasChromium && run(['test/parity/chromium-snapshot.mjs', join(snapshots, 'chromium-page.heapsnapshot')]) === 0) {
  files.push(join(snapshots, 'chromium-page.heapsnapshot'));
}
if (hasChromium && run(['test/parity/chromium-snapshot.mjs', '--heavy', join(snapshots, 'chromium-heavy.heapsnapshot')]) === 0) {
  files.push(join(snapshots, 'chromium-heavy.heapsnapshot'));
}
files.push(join(snapshots, 'medium.heapsnapshot'));
// The benchmark's TypeScript-compiler heap (test/bench/generate-snapshot.mjs), when it has been generated.
const tsc = join(root, 'test/bench/work/tsc.heapsnapshot');
if (existsSync(tsc)) files.push(tsc);
const missing = files.filter((f) => !existsSync(join(root, f)) && !existsSync(f));
if (missing.length > 0) console.log(`missing: ${missing.join(', ')}`);
process.exit(run(['--max-old-space-size=12000', 'test/parity/compare.mjs', '--markdown', ...(jsonOut ? ['--json', jsonOut] : []), ...files]));
