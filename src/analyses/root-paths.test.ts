import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeDerived } from './compute-derived.js';
import { dominatorChain } from './dominator-chain.js';
import { retainerTree, type RetainerTreeNode } from './retainer-tree.js';
import { findRootPaths } from './root-paths.js';
import { graph } from './test-graphs.js';

// DevTools' retaining-paths mock: no user roots, so distances count from 0 at the root.
const devtoolsPaths = () =>
  graph('root-e->gc gc-e->stack stack-e->A A->A1 A1->A2 A2->C stack-e->B B->C B->D C->E', {
    kinds: { gc: 'synthetic', stack: 'synthetic' },
    names: { gc: '(GC roots)', stack: '(Stack roots)' },
  });

test('finds the shortest retaining path root first', () => {
  const g = devtoolsPaths();
  const paths = findRootPaths(g.store, computeDerived(g.store), g.ord('E'), { maxPaths: 5 });
  assert.deepEqual(paths.map((p) => p.map((s) => g.token(s.ordinal))), [['root', 'gc', 'stack', 'B', 'C', 'E']]);
  assert.equal(paths[0]![0]!.edge, -1);
  assert.equal(g.store.edgeTarget[paths[0]![5]!.edge], g.ord('E'));
  assert.deepEqual(findRootPaths(g.store, computeDerived(g.store), g.ord('root'), { maxPaths: 5 }), [[{ ordinal: g.ord('root'), edge: -1 }]]);
});

test('returns K equally short paths in a deterministic order', () => {
  const g = graph('root->a root->b a->c b->c c->t root->d d->e e->t2 t2->t');
  const derived = computeDerived(g.store);
  const paths = findRootPaths(g.store, derived, g.ord('t'), { maxPaths: 5 });
  assert.deepEqual(paths.map((p) => p.map((s) => g.token(s.ordinal)).join('.')), ['root.a.c.t', 'root.b.c.t']);
  assert.equal(findRootPaths(g.store, derived, g.ord('t'), { maxPaths: 1 }).length, 1);
  assert.equal(findRootPaths(g.store, derived, g.ord('t'), { maxPaths: 5, maxLength: 2 }).length, 0);
});

test('hides weak paths unless asked', () => {
  const g = graph('root->a a-w->b');
  const derived = computeDerived(g.store);
  assert.deepEqual(findRootPaths(g.store, derived, g.ord('b'), { maxPaths: 3 }), []);
  const weak = findRootPaths(g.store, derived, g.ord('b'), { maxPaths: 3, includeWeak: true });
  assert.deepEqual(weak.map((p) => p.map((s) => g.token(s.ordinal))), [['root', 'a', 'b']]);
});

test('prefers paths from user roots over shorter system paths', () => {
  const g = graph('root-s->win win->x x->y y->t root-e->gc gc-i->t', { kinds: { gc: 'synthetic' } });
  const paths = findRootPaths(g.store, computeDerived(g.store), g.ord('t'), { maxPaths: 3 });
  assert.deepEqual(paths.map((p) => p.map((s) => g.token(s.ordinal))), [['root', 'win', 'x', 'y', 't']]);
  const viaSystem = findRootPaths(g.store, computeDerived(g.store), g.ord('gc'), { maxPaths: 3 });
  assert.deepEqual(viaSystem.map((p) => p.map((s) => g.token(s.ordinal))), [['root', 'gc']]);
});

const shape = (g: { token(o: number): string }, node: RetainerTreeNode): unknown => [
  g.token(node.ordinal) + (node.cycle ? '*' : '') + (node.depthLimited ? '…' : '') + (node.omittedChildren ? `+${node.omittedChildren}` : ''),
  ...node.children.map((c) => shape(g, c)),
];

test('builds the retainer tree nearest-root first and marks cycles', () => {
  const g = graph('root->a a->b b->c c->b root->z z->y y->x x->c');
  const tree = retainerTree(g.store, computeDerived(g.store), g.ord('c'), { depth: 5 });
  assert.deepEqual(shape(g, tree), ['c', ['b', ['a', ['root']], ['c*']], ['x', ['y', ['z', ['root']]]]]);
});

test('stops at the depth limit and caps children', () => {
  const g = graph('root->a a->b b->c root->p1 root->p2 root->p3 p1->c p2->c p3->c');
  const derived = computeDerived(g.store);
  const tree = retainerTree(g.store, derived, g.ord('c'), { depth: 1, maxChildren: 2 });
  assert.deepEqual(shape(g, tree), ['c+2', ['p1…'], ['p2…']]);
});

test('leaves weak retainers out of the tree unless asked', () => {
  const g = graph('root->a a-w->b root->c c->b');
  const derived = computeDerived(g.store);
  assert.deepEqual(shape(g, retainerTree(g.store, derived, g.ord('b'), { depth: 1 })), ['b', ['c…']]);
  assert.equal(retainerTree(g.store, derived, g.ord('b'), { depth: 1, includeWeak: true }).children.length, 2);
});

test('lists the dominator chain up to the root', () => {
  const g = graph('root->a a->b b->c root->d d->e e->f f->e b->e2 c->e2', {});
  const derived = computeDerived(g.store);
  assert.deepEqual(dominatorChain(g.store, derived, g.ord('c')).map(g.token), ['c', 'b', 'a', 'root']);
  assert.deepEqual(dominatorChain(g.store, derived, g.ord('e2')).map(g.token), ['e2', 'b', 'a', 'root']);
  assert.deepEqual(dominatorChain(g.store, derived, g.ord('root')).map(g.token), ['root']);
});
