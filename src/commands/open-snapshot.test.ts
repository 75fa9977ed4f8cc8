import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../test/support/snapshots.js';
import { openSnapshot, whenIndexWritesSettle } from './open-snapshot.js';

const demo = fileURLToPath(new URL('../../demo/node-leak-1.heapsnapshot.gz', import.meta.url));

test('with indexInBackground the load returns before its index is written, and the index is there once writes settle', async () => {
  const dir = makeTempDir();
  try {
    const file = join(dir.path, 'leak.heapsnapshot.gz');
    copyFileSync(demo, file);
    const cacheDir = join(dir.path, 'cache');
    const first = await openSnapshot(file, { useIndex: true, cacheDir, indexInBackground: true });
    assert.equal(first.fromIndex, false);
    assert.equal(first.indexPath, null);
    assert.ok(first.phases.ready !== undefined);
    await whenIndexWritesSettle();
    assert.ok(existsSync(`${file}.gcshidx`));
    assert.ok(first.phases.indexWrite !== undefined, 'the write time is recorded when it ends');
    const second = await openSnapshot(file, { useIndex: true, cacheDir });
    assert.equal(second.fromIndex, true);
    assert.equal(second.derived.totalSize, first.derived.totalSize);
  } finally {
    dir.remove();
  }
});

test('a background index write that cannot write anywhere fails silently', async () => {
  const dir = makeTempDir();
  try {
    const file = join(dir.path, 'leak.heapsnapshot.gz');
    copyFileSync(demo, file);
    // A cache "directory" below a regular file cannot be created, and a directory squats on the index's own path
    // (so this holds even for root, who may write anywhere).
    const cacheDir = join(file, 'not-a-dir');
    mkdirSync(`${file}.gcshidx`);
    const loaded = await openSnapshot(file, { useIndex: true, cacheDir, indexInBackground: true });
    await whenIndexWritesSettle();
    assert.equal(loaded.indexPath, null);
    const again = await openSnapshot(file, { useIndex: true, cacheDir });
    assert.equal(again.fromIndex, false, 'nothing was written');
  } finally {
    dir.remove();
  }
});
