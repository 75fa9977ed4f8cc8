// Parity tooling (test support, not product code): fetch Chrome DevTools' own heap snapshot worker sources from the
// npm registry (package chrome-devtools-frontend, pinned) and bundle them with esbuild into one Node-runnable module.
//
//   node test/parity/build-devtools.mjs        → test/bench/work/parity/devtools-heap.mjs (skips when present)
//   node test/parity/build-devtools.mjs --force
//
// Only the worker's real files are bundled (HeapSnapshot.ts, HeapSnapshotLoader.ts, AllocationProfile.ts,
// ContextAnalyzer.ts, core/platform/*, HeapSnapshotModel.ts, TextUtils.ts). Three barrels are replaced by stubs because
// they drag in UI code the worker never runs: i18n (only serializeUIString for progress text), the text_utils barrel
// (CodeMirror; the loader needs only TextUtils.BalancedJSONTokenizer) and the heap_snapshot model barrel (the
// frontend proxy; the worker needs only HeapSnapshotModel.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const devtoolsVersion = '1.0.1705227';
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const workDir = join(repoRoot, 'test/bench/work/parity');
export const bundlePath = join(workDir, 'devtools-heap.mjs');

const packageDir = join(workDir, 'pkg', 'package');
const frontEnd = join(packageDir, 'front_end');

/** Download (npm pack, the registry's ordinary client) and unpack the pinned tarball. */
function fetchPackage() {
  mkdirSync(workDir, { recursive: true });
  const tarball = `chrome-devtools-frontend-${devtoolsVersion}.tgz`;
  if (!existsSync(join(workDir, tarball))) {
    execFileSync('npm', ['pack', `chrome-devtools-frontend@${devtoolsVersion}`, '--silent'], {
      cwd: workDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
  }
  rmSync(join(workDir, 'pkg'), { recursive: true, force: true });
  mkdirSync(join(workDir, 'pkg'));
  execFileSync('tar', ['xzf', join(workDir, tarball), '-C', join(workDir, 'pkg'), 'package/front_end/core',
    'package/front_end/entrypoints/heap_snapshot_worker', 'package/front_end/models/heap_snapshot', 'package/LICENSE'], {
    stdio: 'inherit',
  });
}

async function bundle() {
  const esbuild = await import(join(repoRoot, 'node_modules/esbuild/lib/main.js'));
  const stubs = {
    i18n: `export const i18n = { serializeUIString: (text, values) => JSON.stringify({ text, values }) };`,
    textUtils: `export * as TextUtils from ${JSON.stringify(join(frontEnd, 'core/text_utils/TextUtils.ts'))};`,
    model: `export * as HeapSnapshotModel from ${JSON.stringify(join(frontEnd, 'models/heap_snapshot/HeapSnapshotModel.ts'))};`,
    content: `export class ContentData {} export class SearchMatch {}`,
  };
  const stubPlugin = {
    name: 'devtools-stubs',
    setup(build) {
      const stub = (name) => () => ({ path: name, namespace: 'stub' });
      build.onResolve({ filter: /i18n\/i18n\.js$/ }, stub('i18n'));
      build.onResolve({ filter: /text_utils\/text_utils\.js$/ }, stub('textUtils'));
      build.onResolve({ filter: /heap_snapshot\/heap_snapshot\.js$/ }, stub('model'));
      build.onResolve({ filter: /^\.\/(ContentData|ContentProvider)\.js$/ }, (args) =>
        args.importer.endsWith('TextUtils.ts') ? { path: 'content', namespace: 'stub' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubs[args.path], loader: 'js', resolveDir: workDir }));
    },
  };
  const worker = join(frontEnd, 'entrypoints/heap_snapshot_worker');
  const entry = [
    `export * as HeapSnapshotLoader from ${JSON.stringify(join(worker, 'HeapSnapshotLoader.ts'))};`,
    `export * as HeapSnapshot from ${JSON.stringify(join(worker, 'HeapSnapshot.ts'))};`,
    `export * as HeapSnapshotModel from ${JSON.stringify(join(frontEnd, 'models/heap_snapshot/HeapSnapshotModel.ts'))};`,
    `export const devtoolsVersion = ${JSON.stringify(devtoolsVersion)};`,
  ].join('\n');
  const entryPath = join(workDir, 'devtools-entry.mjs');
  writeFileSync(entryPath, entry);
  await esbuild.build({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundlePath,
    plugins: [stubPlugin],
    logLevel: 'warning',
    // DevTools' code is Apache/BSD-licensed: keep its notices.
    legalComments: 'inline',
    banner: {
      js: `// Chrome DevTools heap snapshot worker, chrome-devtools-frontend@${devtoolsVersion}, bundled by test/parity/build-devtools.mjs`,
    },
  });
}

/** Ensure the bundle exists; returns its path. */
export async function buildDevtoolsBundle({ force = false } = {}) {
  if (!force && existsSync(bundlePath)) return bundlePath;
  if (force || !existsSync(join(frontEnd, 'entrypoints/heap_snapshot_worker/HeapSnapshot.ts'))) fetchPackage();
  await bundle();
  return bundlePath;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const path = await buildDevtoolsBundle({ force: process.argv.includes('--force') });
  const files = readdirSync(workDir);
  console.log(`${path} ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${files.length} entries in ${workDir})`);
}
