// Known object shapes in a real snapshot written by a child Node process: the commands must report their
// dominators, retainers, retained sizes and cycles the way the shapes were built.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { knownShapes, makeTempDir, writeSnapshotOf, type TempDir } from '../support/snapshots.js';
import { testShell, type TestShell } from '../support/engine.js';

let dir: TempDir;
let shell: TestShell;

before(async () => {
  dir = makeTempDir();
  const file = writeSnapshotOf(knownShapes, join(dir.path, 'shapes.heapsnapshot'));
  shell = testShell();
  await shell.json(`load ${file}`);
});
after(() => dir.remove());

async function onlyInstance(type: string): Promise<Record<string, any>> {
  const summary = await shell.json(`summary ${type}`);
  const row = summary.rows.find((r: any) => r.type === type);
  assert.ok(row, `no ${type} in summary`);
  return row;
}

async function referent(ref: string, label: string): Promise<Record<string, any>> {
  const shown = await shell.json(`referents ${ref} --limit 500`);
  const edge = shown.referents.find((r: any) => r.edge === label);
  assert.ok(edge, `${ref} has no referent ${label}: ${shown.referents.map((r: any) => r.edge).join(' ')}`);
  return edge;
}

test('a chain: the head retains every link, and each link is dominated by the one before it', async () => {
  const row = await onlyInstance('ChainLink');
  assert.equal(row.count, 3);
  const head = await shell.json(`show ${row.largest.ref}`);
  const second = await referent(row.largest.ref, '.next');
  const third = await referent(second.ref, '.next');
  assert.equal(third.type, 'ChainLink');
  assert.ok(head.object.retainedSize > second.retainedSize && second.retainedSize > third.retainedSize);
  const chain = await shell.json(`dominators ${third.ref}`);
  assert.equal(chain.dominators[0].ref, second.ref);
  assert.equal(chain.dominators[1].ref, row.largest.ref);
  assert.equal(chain.dominators.at(-1).id, 1, 'the chain ends at the synthetic root (@1)');
  // The class's retained size counts the nested links once: it equals the head's retained size.
  assert.equal(row.retainedSize, head.object.retainedSize);
});

test('a diamond: the shared object is dominated by the top, not by either side', async () => {
  const top = await onlyInstance('DiamondTop');
  const left = await referent(top.largest.ref, '.left');
  const shared = await referent(left.ref, '.shared');
  const chain = await shell.json(`dominators ${shared.ref}`);
  assert.equal(chain.dominators[0].ref, top.largest.ref);
  const sides = await onlyInstance('DiamondSide');
  assert.equal(sides.count, 2);
  assert.ok(top.largest.retainedSize >= shared.retainedSize + 2 * left.selfSize);
  assert.ok(left.retainedSize < shared.retainedSize, 'a side alone does not retain the shared object');
});

test('a three-object cycle is one strongly connected component, shown edge by edge', async () => {
  const row = await onlyInstance('CycleNode');
  assert.equal(row.count, 3);
  const cycles = await shell.json(`cycles ${row.largest.ref}`);
  assert.equal(cycles.cycles.length, 1);
  const cycle = cycles.cycles[0];
  assert.equal(cycle.objectCount, 3);
  assert.deepEqual(cycle.edges, ['.peer', '.peer', '.peer']);
  assert.ok(cycle.objects.every((o: any) => o.type === 'CycleNode'));
  // The class and its script context join the three nodes into a larger component; filtering by type finds it.
  const listed = await shell.json('cycles --type CycleNode');
  assert.ok(listed.cycles.length >= 1 && listed.cycles[0].objectCount >= 3);
});

test('a self-reference is a cycle of one object', async () => {
  const row = await onlyInstance('SelfRef');
  const cycles = await shell.json(`cycles ${row.largest.ref}`);
  assert.equal(cycles.cycles[0].objectCount, 1);
  assert.deepEqual(cycles.cycles[0].edges, ['.me']);
});

test('retainers show the path from a root with access-style edge labels', async () => {
  const row = await onlyInstance('ClosureHolder');
  const retainers = await shell.json(`retainers ${row.largest.ref}`);
  const path = retainers.paths[0];
  assert.equal(path.at(-1).ref, row.largest.ref);
  const labels = path.map((step: any) => step.edge);
  assert.equal(labels[0], null, 'the root step has no edge');
  assert.ok(labels.includes("context 'captured'"), labels.join(' '));
  assert.ok(labels.includes('.gcshClosure'), labels.join(' '));
  assert.equal(retainers.tree.ref, row.largest.ref);
});

test('a WeakMap value is retained through its live key, and the weak edge alone is not a retainer', async () => {
  const value = await onlyInstance('WeakValue');
  assert.ok(value.largest.retainedSize > 0);
  const shown = await shell.json(`show ${value.largest.ref}`);
  assert.ok(shown.object.distance > 0, 'the value is reachable');
  const strong = await shell.json(`retainers ${value.largest.ref}`);
  assert.ok(strong.paths.length === 1);
  assert.ok(strong.paths[0].every((step: any) => step.edgeKind !== 'weak'));
});

test('unknown objects and types fail with one clear line', async () => {
  const missing = await shell.attempt('show @999999999');
  assert.equal(missing.ok, false);
  assert.match(missing.error, /no object @999999999 in snapshot 'shapes'/);
  const typo = await shell.attempt('cycle');
  assert.match(typo.error, /unknown command 'cycle' — did you mean `cycles`\?/);
});
