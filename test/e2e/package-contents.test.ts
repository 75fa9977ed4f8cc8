// What `npm pack` puts in the tarball: everything the installed command loads at run time (every compiled module, the
// demo snapshots, the Python agent) and the licence, but no tests, source maps, TypeScript sources or scratch files.
// CI (.ci/run) goes further and installs the packed tarball into a fresh prefix; this is the quick check `npm test`
// runs (npm's --dry-run lists the files without building or writing anything).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
let packed: Set<string>;

before(() => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const json = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  packed = new Set((JSON.parse(json) as [{ files: { path: string }[] }])[0].files.map((file) => file.path));
});

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

// Test-only graph fixtures that live beside the analyses (tsconfig.build.json leaves them out of dist/).
const testFixtures = /\/(test-graphs|devtools-mock)\.(ts|js)$/;

test('the tarball holds the command, every compiled module, the demo snapshots, the Python agent and the licence', () => {
  // Every module the build makes from src/ (what tsconfig.build.json compiles: no tests, no test fixtures).
  const modules = filesUnder('src')
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !testFixtures.test(file))
    .map((file) => file.replace(/^src\//, 'dist/').replace(/\.tsx?$/, '.js'));
  assert.ok(modules.includes('dist/cli/main.js'));
  // `gcsh --demo` opens every snapshot in demo/ (a packed tarball without them failed).
  const demos = filesUnder('demo').filter((file) => /\.(heapsnapshot|pyheap)(\.gz)?$/.test(file));
  assert.ok(demos.length >= 5, `demo snapshots: ${demos.join(', ')}`);
  const needed = ['bin/gcsh.js', 'package.json', 'README.md', 'LICENSE', 'src/agent/gcsh_agent.py', ...modules, ...demos];
  assert.deepEqual(needed.filter((file) => !packed.has(file)), []);
});

test('the tarball holds no tests, source maps, TypeScript sources, index files or development scripts', () => {
  const unwanted = [...packed].filter(
    (file) => /\.test\.|\.map$|\.tsx?$|\.gcshidx/.test(file) || testFixtures.test(file) || /^(test|scripts|src\/(?!agent\/))/.test(file),
  );
  assert.deepEqual(unwanted, []);
});
