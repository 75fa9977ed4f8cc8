// Runs every *.test.ts / *.test.tsx under src/ and test/ with Node's built-in test runner through tsx.
// Node 20's --test does not expand globs, so the files are listed here.
// Tests clean up after themselves, and this runner checks it: the run gets a temp folder of its own (TMPDIR, which
// Node's os.tmpdir(), Python's tempfile and the programs the tests start all honour, so nothing another program writes
// to the shared temp folder is counted), and anything left in it or new in the checkout afterwards fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filter = process.argv.slice(2);

function collect(dir, out) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    // test/bench/work holds the benchmark's scratch installs (peers' own test files among them).
    if (entry === 'work' && dir.endsWith(join('test', 'bench'))) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (/\.test\.tsx?$/.test(entry)) out.push(relative(root, path));
  }
  return out;
}

let files = [...collect(join(root, 'src'), []), ...collect(join(root, 'test'), [])].sort();
if (filter.length > 0) files = files.filter((file) => filter.some((f) => file.includes(f)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

/** Files in the checkout a test might leave behind (dependencies, the build and the benchmarks' caches aside). */
function checkoutFiles(dir = root, out = new Set()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(root, path);
    if (['node_modules', '.git', 'dist', join('test', 'bench', 'work')].includes(rel)) continue;
    if (entry.isDirectory()) checkoutFiles(path, out);
    else out.add(rel);
  }
  return out;
}

const runTmp = mkdtempSync(join(tmpdir(), 'gcsh-test-run-'));
const before = checkoutFiles();
let status;
try {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1', TMPDIR: runTmp },
  });
  status = result.status ?? 1;
} finally {
  // tsx keeps its compile cache in the temp folder (tsx-UID); it is tsx's, not a test's.
  const leftInTmp = readdirSync(runTmp).filter((name) => !name.startsWith('tsx-'));
  const leftInCheckout = [...checkoutFiles()].filter((file) => !before.has(file));
  rmSync(runTmp, { recursive: true, force: true });
  const left = [...leftInTmp.map((name) => `temp folder: ${name}`), ...leftInCheckout.map((file) => `checkout: ${file}`)];
  if (left.length > 0) {
    console.error(`the tests left ${left.length} file(s) behind (each test must remove what it creates):\n  ${left.join('\n  ')}`);
    status ||= 1;
  }
}
process.exit(status);
