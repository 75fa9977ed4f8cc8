import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateByClass, buildClassIndex, membersOfClass } from './aggregates.js';
import { computeDerived } from './compute-derived.js';
import { devtoolsMockExpected, devtoolsMockStore } from './devtools-mock.js';
import { graph } from './test-graphs.js';

test('matches the DevTools unit mock aggregates {count, self, maxRet}', () => {
  const store = devtoolsMockStore();
  const derived = computeDerived(store);
  const byName = Object.fromEntries(aggregateByClass(store, derived).map((a) => [a.name, [a.count, a.selfSize, a.retainedSize]]));
  assert.deepEqual(byName, devtoolsMockExpected.aggregates);
});

test('does not double count a class nested under itself in the dominator tree', () => {
  const { store } = graph('root->a1 a1->a2 a2->b root->a3', { names: { a1: 'A', a2: 'A', a3: 'A' }, sizes: { a1: 1, a2: 2, b: 4, a3: 8 } });
  const derived = computeDerived(store);
  const a = aggregateByClass(store, derived).find((x) => x.name === 'A')!;
  assert.equal(a.count, 3);
  assert.equal(a.selfSize, 11);
  assert.equal(a.retainedSize, 15);
  assert.equal(a.distance, 1);
});

test('skips nodes whose self size is zero', () => {
  const { store } = graph('root->a root->b', { names: { b: 'a' }, sizes: { a: 0, b: 3 } });
  const derived = computeDerived(store);
  const a = aggregateByClass(store, derived).find((x) => x.name === 'a')!;
  assert.equal(a.count, 1);
  assert.equal(a.retainedSize, 3);
});

test('applies a node filter and keeps the first members', () => {
  const { store, ord } = graph('root->x1 root->x2 root->x3', { names: { x1: 'X', x2: 'X', x3: 'X' } });
  const derived = computeDerived(store);
  const x = aggregateByClass(store, derived, { filter: (o) => o !== ord('x2'), maxMembers: 1 }).find((c) => c.name === 'X')!;
  assert.equal(x.count, 2);
  assert.deepEqual(x.firstMembers, [ord('x1')]);
});

test('lists the members of a class from the class index', () => {
  const { store, ord } = graph('root->x1 root->y root->x2', { names: { x1: 'X', x2: 'X' } });
  const derived = computeDerived(store);
  const index = buildClassIndex(store, derived);
  const c = derived.classNames.indexOf('X');
  assert.deepEqual([...membersOfClass(index, c)], [ord('x1'), ord('x2')]);
});
