import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeDerived } from './compute-derived.js';
import { findCycles, shortestCycleThrough } from './cycles.js';
import { graph } from './test-graphs.js';

const tokens = (t: { token(o: number): string }, list: ArrayLike<number>) => Array.from(list, (o) => t.token(o));

test('reports a 3-node cycle once, with its size and retained size', () => {
  const g = graph('root->a a->b b->c c->a c->x', { sizes: { a: 1, b: 2, c: 3, x: 10 } });
  const result = findCycles(g.store, computeDerived(g.store));
  assert.equal(result.totalCount, 1);
  const cycle = result.cycles[0]!;
  assert.deepEqual(tokens(g, cycle.members).sort(), ['a', 'b', 'c']);
  assert.equal(cycle.size, 6);
  assert.equal(cycle.retainedSize, 16);
});

test('counts a self reference as a cycle and plain nodes not', () => {
  const g = graph('root->a a->a root->b');
  const result = findCycles(g.store, computeDerived(g.store));
  assert.equal(result.totalCount, 1);
  assert.ok(result.cycles[0]!.selfReference);
  assert.deepEqual(tokens(g, result.cycles[0]!.members), ['a']);
});

test('ranks cycles by retained size and applies minSize, classFilter and limit', () => {
  const g = graph('root->a a->b b->a root->c c->d d->e e->c e->big', { sizes: { big: 100 }, names: { c: 'Node', d: 'Node', e: 'Node' } });
  const derived = computeDerived(g.store);
  const all = findCycles(g.store, derived);
  assert.deepEqual(all.cycles.map((c) => c.members.length), [3, 2]);
  assert.equal(all.cycles[0]!.retainedSize, 103);
  assert.equal(findCycles(g.store, derived, { minSize: 3 }).totalCount, 1);
  const nodeClass = derived.classNames.indexOf('Node');
  assert.equal(findCycles(g.store, derived, { classFilter: (c) => c === nodeClass }).cycles[0]!.members.length, 3);
  const limited = findCycles(g.store, derived, { limit: 1 });
  assert.equal(limited.cycles.length, 1);
  assert.equal(limited.totalCount, 2);
});

test('skips weak edges and engine-internal nodes unless asked', () => {
  const g = graph('root->a a-w->b b->a root->o o->map map->o', { kinds: { map: 'hidden' } });
  const derived = computeDerived(g.store);
  assert.equal(findCycles(g.store, derived).totalCount, 0);
  assert.equal(findCycles(g.store, derived, { includeWeak: true }).totalCount, 1);
  assert.equal(findCycles(g.store, derived, { includeInternal: true }).totalCount, 1);
});

test('ignores the prototype link between a function and its prototype', () => {
  const g = graph('root->f f->prototype prototype->constructor', {
    kinds: { f: 'closure' },
    edgeNames: { 'f->prototype': 'prototype' },
  });
  // constructor edge back to f:
  const g2 = graph('root->f f->p p->f', { kinds: { f: 'closure' }, edgeNames: { 'f->p': 'prototype', 'p->f': 'constructor' } });
  assert.equal(findCycles(g.store, computeDerived(g.store)).totalCount, 0);
  assert.equal(findCycles(g2.store, computeDerived(g2.store)).totalCount, 0);
  assert.equal(findCycles(g2.store, computeDerived(g2.store), { includeInternal: true }).totalCount, 1);
});

test('finds the shortest cycle through an object with its edges', () => {
  const g = graph('root->a a->b b->c c->a a->d d->a');
  const path = shortestCycleThrough(g.store, g.ord('a'))!;
  assert.deepEqual(tokens(g, path.nodes), ['a', 'd']);
  assert.equal(path.edges.length, 2);
  assert.equal(g.store.edgeTarget[path.edges[0]!], g.ord('d'));
  assert.equal(g.store.edgeTarget[path.edges[1]!], g.ord('a'));
  assert.equal(shortestCycleThrough(g.store, g.ord('root')), null);
  const self = graph('root->a a->a');
  assert.deepEqual(shortestCycleThrough(self.store, self.ord('a'))!.nodes, [self.ord('a')]);
});

test('falls back to internal nodes when the only cycle runs through them', () => {
  const g = graph('root->o o->map map->o', { kinds: { map: 'hidden' } });
  const path = shortestCycleThrough(g.store, g.ord('o'))!;
  assert.deepEqual(tokens(g, path.nodes), ['o', 'map']);
  assert.ok(path.usedInternal);
});

test('picks the members retaining the most without sorting the whole cycle', async () => {
  const { largestMembers } = await import('./cycles.js');
  const retained = Float64Array.from([5, 50, 7, 50, 1, 9]);
  assert.deepEqual(largestMembers(Uint32Array.from([0, 1, 2, 3, 4, 5]), retained, 3), [1, 3, 5]);
  assert.deepEqual(largestMembers(Uint32Array.from([4, 0]), retained, 6), [0, 4]);
});
