import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, writeSnapshotOf, knownShapes } from '../../test/support/snapshots.js';
import { openSnapshot } from './open-snapshot.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';

const demo = fileURLToPath(new URL('../../demo/node-leak-1.heapsnapshot.gz', import.meta.url));

function assertSameLoad(parallel: LoadedSnapshot, sequential: LoadedSnapshot): void {
  const a = parallel.store;
  const b = sequential.store;
  for (const key of ['nodeKind', 'nodeName', 'nodeId', 'selfSize', 'firstOutEdge', 'edgeKindAndName', 'edgeTarget', 'firstInEdge', 'inEdgeOrdinal', 'edgeSourceBlocks'] as const) {
    assert.deepEqual([...a[key]], [...b[key]], key);
  }
  assert.equal(a.rootOrdinal, b.rootOrdinal);
  const x = parallel.derived;
  const y = sequential.derived;
  for (const key of ['distance', 'dominator', 'retainedSize', 'nodeFlags', 'classOf'] as const) assert.deepEqual([...x[key]], [...y[key]], key);
  assert.deepEqual(x.classNames, y.classNames);
  assert.equal(x.totalSize, y.totalSize);
  for (const key of ['count', 'selfSize', 'retainedSize', 'distance', 'largest'] as const) {
    assert.deepEqual([...x.classSummary![key]], [...y.classSummary![key]], `classSummary.${key}`);
  }
}

test('a load on two threads gives the same store and derived columns as on one (gzip demo)', async () => {
  const parallel = await openSnapshot(demo, { useIndex: false, parallel: true });
  const sequential = await openSnapshot(demo, { useIndex: false, parallel: false });
  assert.ok(parallel.phases['worker.reverse'] !== undefined, 'the worker ran');
  assertSameLoad(parallel, sequential);
});

test('a load on two threads gives the same results on a plain snapshot with WeakMaps and shapes', async () => {
  const dir = makeTempDir();
  try {
    const file = writeSnapshotOf(`${knownShapes}\nglobalThis.wm = new WeakMap(); for (let i = 0; i < 50; i++) { const k = {i}; globalThis['k' + i] = k; wm.set(k, {v: i}); }`, join(dir.path, 'shapes.heapsnapshot'));
    const parallel = await openSnapshot(file, { useIndex: false, parallel: true });
    const sequential = await openSnapshot(file, { useIndex: false, parallel: false });
    assertSameLoad(parallel, sequential);
  } finally {
    dir.remove();
  }
});

test('with a million edges the worker packs the kinds and builds the retainers while the strings are still read', async () => {
  const dir = makeTempDir();
  try {
    // Enough edges for the split read (1M rows and more), so the edges are final before the strings section.
    const file = writeSnapshotOf(`globalThis.rows = Array.from({ length: 250000 }, (_, i) => ({ i, name: 'row' + (i % 100), next: null }));`, join(dir.path, 'rows.heapsnapshot'));
    const parallel = await openSnapshot(file, { useIndex: false, parallel: true });
    const sequential = await openSnapshot(file, { useIndex: false, parallel: false });
    assert.ok(parallel.store.edgeCount >= 1 << 20, `edges: ${parallel.store.edgeCount}`);
    assert.ok(parallel.phases['worker.packed'] !== undefined, 'the kinds were packed on the worker');
    assertSameLoad(parallel, sequential);
  } finally {
    dir.remove();
  }
});

test('a bad snapshot fails the same way on two threads, and the worker does not keep the process alive', async () => {
  const dir = makeTempDir();
  try {
    const { writeFileSync } = await import('node:fs');
    const file = join(dir.path, 'bad.heapsnapshot');
    writeFileSync(file, '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["hidden"],"string","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["property"],"string_or_number","node"]},"node_count":1,"edge_count":0},"nodes":[0,0,1,0,0],"edges":[0,0,');
    const errors = await Promise.all(
      [true, false].map((parallel) => openSnapshot(file, { useIndex: false, parallel }).then(() => null, (error: Error) => error.message)),
    );
    assert.ok(errors[0] !== null);
    assert.equal(errors[0], errors[1]);
  } finally {
    dir.remove();
  }
});
