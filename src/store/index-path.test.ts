import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DerivedIndexes } from './derived.js';
import { GraphBuilder } from './graph-builder.js';
import type { GraphStore } from './graph-store.js';
import { loadCachedIndex, saveCachedIndex } from './index-cache.js';
import { writeIndexFile } from './index-file.js';
import { defaultIndexCacheDir, indexPathFor, isDirectoryWritable, openIndexLocation } from './index-path.js';
import { EdgeKind, NodeKind } from './kinds.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gcsh-index-path-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function snapshotWithStore(name: string): Promise<{ snapshot: string; store: GraphStore; derived: DerivedIndexes }> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const snapshot = join(folder, 'app.heapsnapshot');
  await writeFile(snapshot, '{"snapshot":{}}');
  const info = await stat(snapshot);
  const b = new GraphBuilder('');
  const root = b.addNode({ kind: NodeKind.synthetic, name: '(root)', id: 1, selfSize: 0 });
  const a = b.addNode({ kind: NodeKind.object, name: 'A', id: 3, selfSize: 10 });
  b.addEdge(root, EdgeKind.property, 'a', a);
  const store = b.build({ language: 'v8', source: { path: snapshot, format: 'heapsnapshot', byteSize: info.size, mtimeMs: info.mtimeMs } });
  const derived: DerivedIndexes = {
    distance: Int32Array.from([0, 1]),
    dominator: Uint32Array.from([0, 0]),
    retainedSize: Float64Array.from([10, 10]),
    nodeFlags: new Uint8Array(2),
    classOf: Uint32Array.from([0, 1]),
    classNames: ['(root)', 'A'],
    totalSize: 10,
  };
  return { snapshot, store, derived };
}

const expectedOf = (store: GraphStore) => ({ path: store.source.path, byteSize: store.source.byteSize, mtimeMs: store.source.mtimeMs });

test('puts the index beside the snapshot as <snapshot>.gcshidx', () => {
  assert.equal(indexPathFor('/data/heaps/app.heapsnapshot', { cacheDir: '/c' }).primary, '/data/heaps/app.heapsnapshot.gcshidx');
});

test('names the cache file by a hash of the absolute snapshot path', () => {
  const one = indexPathFor('/a/app.heapsnapshot', { cacheDir: '/c' }).fallback;
  const same = indexPathFor('/a/./x/../app.heapsnapshot', { cacheDir: '/c' }).fallback;
  const other = indexPathFor('/b/app.heapsnapshot', { cacheDir: '/c' }).fallback;
  assert.equal(one, same);
  assert.notEqual(one, other);
  assert.equal(dirname(one), '/c');
  assert.match(one, /^\/c\/app\.heapsnapshot-[0-9a-f]{16}\.gcshidx$/);
});

test('uses $XDG_CACHE_HOME/gcsh when it is absolute, else ~/.cache/gcsh', () => {
  assert.equal(defaultIndexCacheDir({ XDG_CACHE_HOME: '/xdg' }), '/xdg/gcsh');
  assert.equal(defaultIndexCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }), '/home/u/.cache/gcsh');
  assert.equal(defaultIndexCacheDir({ HOME: '/home/u' }), '/home/u/.cache/gcsh');
  assert.equal(defaultIndexCacheDir({}), join(homedir(), '.cache', 'gcsh'));
  assert.equal(dirname(indexPathFor('/a/b', { env: { XDG_CACHE_HOME: '/xdg' } }).fallback), '/xdg/gcsh');
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = join(dir, 'from-process-env');
  try {
    assert.equal(dirname(indexPathFor('/a/b').fallback), join(dir, 'from-process-env', 'gcsh'));
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
});

test('writes beside the snapshot when its directory is writable, and reads there first', async () => {
  const location = await openIndexLocation('/a/app.heapsnapshot', { cacheDir: '/c', isWritable: async () => true });
  assert.deepEqual(location.readPaths, ['/a/app.heapsnapshot.gcshidx', indexPathFor('/a/app.heapsnapshot', { cacheDir: '/c' }).fallback]);
  assert.equal(location.writePaths[0], '/a/app.heapsnapshot.gcshidx');
});

test('falls back to the cache directory when the snapshot directory is not writable', async () => {
  const { snapshot, store, derived } = await snapshotWithStore('readonly');
  const xdg = join(dir, 'xdg-cache');
  const snapshotDir = dirname(snapshot);
  // Injected: tests may run as root, where chmod does not stop writes.
  const options = { env: { XDG_CACHE_HOME: xdg }, isWritable: async (d: string) => d !== snapshotDir };
  const saved = await saveCachedIndex(snapshot, store, derived, options);
  assert.ok('path' in saved, 'failed' in saved ? saved.failed.join('; ') : '');
  assert.equal(dirname(saved.path), join(xdg, 'gcsh'));
  assert.deepEqual(await readdir(snapshotDir), ['app.heapsnapshot']);
  const loaded = await loadCachedIndex(expectedOf(store), options);
  assert.ok('store' in loaded, 'rejected' in loaded ? loaded.rejected.join('; ') : '');
  assert.equal(loaded.path, saved.path);
  assert.deepEqual(loaded.derived.classNames, ['(root)', 'A']);
});

test('saves beside the snapshot and loads it back when the directory is writable', async () => {
  const { snapshot, store, derived } = await snapshotWithStore('writable');
  const options = { env: { XDG_CACHE_HOME: join(dir, 'unused-cache') } };
  const saved = await saveCachedIndex(snapshot, store, derived, options);
  assert.ok('path' in saved);
  assert.equal(saved.path, `${snapshot}.gcshidx`);
  const loaded = await loadCachedIndex(expectedOf(store), options);
  assert.ok('store' in loaded);
  assert.equal(loaded.path, saved.path);
});

test('skips a stale index beside the snapshot and reports every rejection when none fits', async () => {
  const { snapshot, store, derived } = await snapshotWithStore('stale');
  const xdg = join(dir, 'stale-cache');
  const options = { env: { XDG_CACHE_HOME: xdg } };
  await writeIndexFile(`${snapshot}.gcshidx`, { ...store, source: { ...store.source, mtimeMs: 1 } }, derived);
  const missing = await loadCachedIndex(expectedOf(store), options);
  assert.ok('rejected' in missing);
  assert.equal(missing.rejected.length, 2);
  assert.match(missing.rejected[0]!, /stale/);
  assert.match(missing.rejected[1]!, /no index file/);
  const { fallback } = indexPathFor(snapshot, options);
  await mkdir(dirname(fallback), { recursive: true });
  await writeIndexFile(fallback, store, derived);
  const loaded = await loadCachedIndex(expectedOf(store), options);
  assert.ok('store' in loaded);
  assert.equal(loaded.path, fallback);
});

test('reports failures instead of throwing when no place accepts the index', async () => {
  const { snapshot, store, derived } = await snapshotWithStore('nowhere');
  const blocker = join(dir, 'blocker-file');
  await writeFile(blocker, 'not a directory');
  const saved = await saveCachedIndex(snapshot, store, derived, { cacheDir: join(blocker, 'gcsh'), isWritable: async () => false });
  assert.ok('failed' in saved);
  assert.equal(saved.failed.length, 1);
});

test('probes directory writability with fs.access', async () => {
  assert.equal(await isDirectoryWritable(dir), true);
  assert.equal(await isDirectoryWritable(join(dir, 'does-not-exist')), false);
});
