import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelSource } from '../base/cancel.js';
import { CancelledError } from '../base/errors.js';
import { NodeFlag, baseSystemDistance, noDistance } from '../store/derived.js';
import { GraphBuilder } from '../store/graph-builder.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { computeDerived } from './compute-derived.js';
import { devtoolsMockExpected, devtoolsMockStore } from './devtools-mock.js';
import { graph } from './test-graphs.js';

const className = (derived: ReturnType<typeof computeDerived>, ordinal: number) => derived.classNames[derived.classOf[ordinal]!];

test('matches the DevTools unit mock: dominators, retained sizes, total size', () => {
  const store = devtoolsMockStore();
  const derived = computeDerived(store);
  assert.deepEqual([...derived.dominator], devtoolsMockExpected.dominator);
  assert.deepEqual([...derived.retainedSize], devtoolsMockExpected.retainedSize);
  assert.equal(derived.totalSize, devtoolsMockExpected.totalSize);
  assert.deepEqual([...derived.distance], [baseSystemDistance, 1, 1, 2, 2, 3]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => className(derived, i)), ['(system)', 'A', 'B', 'C', 'D', 'E']);
});

test('reports progress for each phase', () => {
  const phases: string[] = [];
  computeDerived(devtoolsMockStore(), { progress: (phase, done) => done === 0 && phases.push(phase) });
  assert.deepEqual(phases, ['flags', 'distances', 'shallow-sizes', 'dominators', 'classes']);
});

test('stops with CancelledError when cancelled', () => {
  const source = new CancelSource();
  source.cancel();
  assert.throws(() => computeDerived(devtoolsMockStore(), { cancel: source }), CancelledError);
});

test('a chain is dominated link by link and retains its tail', () => {
  const { store, ord } = graph('root->a a->b b->c', { sizes: { a: 1, b: 10, c: 100 } });
  const derived = computeDerived(store);
  assert.equal(derived.dominator[ord('c')], ord('b'));
  assert.equal(derived.dominator[ord('b')], ord('a'));
  assert.equal(derived.retainedSize[ord('a')], 111);
  assert.deepEqual([ord('a'), ord('b'), ord('c')].map((i) => derived.distance[i]), [1, 2, 3]);
});

test('the join of a diamond is dominated by the fork', () => {
  const { store, ord } = graph('root->a a->b a->c b->d c->d');
  const derived = computeDerived(store);
  assert.equal(derived.dominator[ord('d')], ord('a'));
  assert.equal(derived.retainedSize[ord('b')], 1);
  assert.equal(derived.retainedSize[ord('a')], 4);
});

test('a cycle hangs under its entry node and self references change nothing', () => {
  const { store, ord } = graph('root->a a->b b->c c->a c->c');
  const derived = computeDerived(store);
  assert.equal(derived.dominator[ord('b')], ord('a'));
  assert.equal(derived.dominator[ord('c')], ord('b'));
  assert.equal(derived.retainedSize[ord('a')], 3);
  assert.equal(derived.retainedSize[ord('c')], 1);
});

test('a weak edge neither retains nor gives a distance', () => {
  const { store, ord } = graph('root->a a->b a-w->c b->d c->d', { sizes: { c: 50 } });
  const derived = computeDerived(store);
  assert.equal(derived.distance[ord('c')], noDistance);
  assert.ok(derived.nodeFlags[ord('c')]! & NodeFlag.unreachable);
  assert.equal(derived.dominator[ord('c')], ord('root'));
  // c is weak-only, so d's only strong path from the root is through b.
  assert.equal(derived.dominator[ord('d')], ord('root'));
  assert.equal(derived.retainedSize[ord('a')], 2);
  assert.equal(derived.totalSize, 53);
});

test('unreachable cliques are dominated by the root and counted in the total', () => {
  const { store, ord } = graph('root->a x->y y->x', { sizes: { x: 5, y: 7 } });
  const derived = computeDerived(store);
  assert.equal(derived.dominator[ord('x')], ord('root'));
  assert.equal(derived.dominator[ord('y')], ord('root'));
  assert.equal(derived.retainedSize[ord('root')], 13);
  assert.ok(derived.nodeFlags[ord('y')]! & NodeFlag.unreachable);
});

test('user roots come first and system-only nodes sit at 10^8 and beyond', () => {
  const { store, ord } = graph('root-s->win win->obj root-e->gc gc-i->sys sys->obj2', {
    kinds: { gc: 'synthetic' },
    names: { gc: '(GC roots)' },
  });
  const derived = computeDerived(store);
  assert.equal(derived.distance[ord('win')], 1);
  assert.equal(derived.distance[ord('obj')], 2);
  assert.equal(derived.distance[ord('root')], baseSystemDistance);
  assert.equal(derived.distance[ord('gc')], baseSystemDistance + 1);
  assert.equal(derived.distance[ord('obj2')], baseSystemDistance + 3);
  assert.ok(derived.nodeFlags[ord('obj')]! & NodeFlag.pageObject);
  assert.ok(derived.nodeFlags[ord('obj')]! & NodeFlag.canBeQueried);
  assert.equal(derived.nodeFlags[ord('sys')]! & NodeFlag.pageObject, 0);
});

test('without user roots distances count edges from the root', () => {
  const { store, ord } = graph('root-e->gc gc-e->stack stack-i->a', { kinds: { gc: 'synthetic', stack: 'synthetic' } });
  const derived = computeDerived(store);
  assert.deepEqual([ord('root'), ord('gc'), ord('stack'), ord('a')].map((i) => derived.distance[i]), [0, 1, 2, 3]);
});

test('marks page-owned nodes as DevTools heapSnapshotPageOwned expects', () => {
  const { store } = graph('root-e->dbg root-s->win win->page dbg->page dbg->own', { kinds: { dbg: 'synthetic' } });
  const derived = computeDerived(store);
  assert.deepEqual([...derived.nodeFlags].map((f) => f & NodeFlag.pageObject), [0, 0, 4, 4, 0]);
});

test('a debugger reference does not change the dominator of a page object', () => {
  const { store, ord } = graph('root-s->win win->a a->page root-e->dbg dbg->page', { kinds: { dbg: 'synthetic' } });
  const derived = computeDerived(store);
  assert.equal(derived.dominator[ord('page')], ord('a'));
});

test('shortcut edges from non-root nodes do not retain', () => {
  const { store, ord } = graph('root->a root->b a->c b-s->c');
  const derived = computeDerived(store);
  assert.equal(derived.dominator[ord('c')], ord('a'));
});

test('moves the size of a singly owned internal array onto its owner, once', () => {
  const { store, ord } = graph('root->a a-i->arr arr-e->x root->b b-i->shared a-i->shared', {
    kinds: { arr: 'array', shared: 'hidden' },
    sizes: { a: 10, arr: 30, x: 1, b: 5, shared: 7 },
  });
  const first = computeDerived(store);
  assert.equal(store.selfSize[ord('a')], 40);
  assert.equal(store.selfSize[ord('arr')], 0);
  assert.equal(store.selfSize[ord('shared')], 7, 'two owners: stays');
  assert.equal(first.retainedSize[ord('root')], 53);
  const second = computeDerived(store);
  assert.equal(store.selfSize[ord('a')], 40, 'idempotent');
  assert.deepEqual([...second.retainedSize], [...first.retainedSize]);
});

test('does not reattribute without user roots or onto synthetic owners', () => {
  const noUserRoots = graph('root-e->gc gc-i->a a-i->arr', { kinds: { gc: 'synthetic', arr: 'array' }, sizes: { a: 2, arr: 3 } });
  computeDerived(noUserRoots.store);
  assert.equal(noUserRoots.store.selfSize[noUserRoots.ord('arr')], 3);
  const synthetic = graph('root->a root-e->gc gc-i->arr', { kinds: { gc: 'synthetic', arr: 'array' }, sizes: { arr: 3 } });
  computeDerived(synthetic.store);
  assert.equal(synthetic.store.selfSize[synthetic.ord('arr')], 3);
});

test('names classes by DevTools rules', () => {
  const { store, ord } = graph('root->o root->h root->f root->s root->div root->ddiv root->code root->re', {
    kinds: { h: 'hidden', f: 'closure', s: 'string', div: 'native', ddiv: 'native', code: 'code', re: 'regexp' },
    names: { o: 'Foo', h: 'system / Map', f: 'bar', s: 'hello', div: '<div id="x">', ddiv: 'Detached <span class=y>', code: 'c', re: '/x/' },
  });
  const derived = computeDerived(store);
  const names = ['o', 'h', 'f', 's', 'div', 'ddiv', 'code', 're'].map((t) => className(derived, ord(t)));
  assert.deepEqual(names, ['Foo', '(system)', 'Function', '(string)', '<div>', 'Detached <span>', '(compiled code)', 'RegExp']);
  assert.ok(derived.nodeFlags[ord('ddiv')]! & NodeFlag.detachedDomNode);
});

test('infers plain-object interfaces shared by at least two objects', () => {
  const b = new GraphBuilder();
  const root = b.addNode({ kind: NodeKind.synthetic, name: '', id: 1, selfSize: 0 });
  const leaf = b.addNode({ kind: NodeKind.number, name: 'n', id: 3, selfSize: 1 });
  const plain = (id: number, props: string[]) => {
    const o = b.addNode({ kind: NodeKind.object, name: 'Object', id, selfSize: 1 });
    b.addEdge(root, EdgeKind.property, `o${id}`, o);
    for (const p of props) b.addEdge(o, EdgeKind.property, p, leaf);
    return o;
  };
  const xy1 = plain(5, ['x', 'y']);
  const xy3 = plain(19, ['x', 'y']);
  const xy2 = plain(7, ['y', 'x', '__proto__']);
  const xyz = plain(9, ['x', 'y', 'z']);
  const xyzOnce = plain(11, ['x', 'y', 'z', 'w']);
  const lonely = plain(13, ['q']);
  const quoted1 = plain(15, ['a,b']);
  const quoted2 = plain(17, ['a,b']);
  const derived = computeDerived(b.build({ language: 'v8' }));
  const name = (o: number) => className(derived, o);
  // {x, y} is proposed twice; {y, x} once; {x, y, z} once: objects with x and y all take {x, y}.
  assert.equal(name(xy1), '{x, y}');
  assert.equal(name(xy3), '{x, y}');
  assert.equal(name(xy2), '{x, y}');
  assert.equal(name(xyz), '{x, y}');
  assert.equal(name(xyzOnce), '{x, y}');
  assert.equal(name(lonely), 'Object');
  assert.equal(name(quoted1), '{"a,b"}');
  assert.equal(name(quoted2), '{"a,b"}');
});

test('python stores use BFS distances, plain dominators and type names as classes', () => {
  const { store, ord } = graph('root->a a->b b->a root->c c-w->d', {
    language: 'python',
    names: { a: 'dict', b: 'mod.Foo', c: 'list', d: 'mod.Bar' },
    sizes: { a: 2, b: 3, c: 4, d: 8 },
  });
  const before = [...store.selfSize];
  const derived = computeDerived(store);
  assert.deepEqual([...store.selfSize], before);
  assert.equal(derived.distance[ord('root')], 0);
  assert.equal(derived.distance[ord('b')], 2);
  assert.equal(derived.distance[ord('d')], noDistance);
  assert.equal(className(derived, ord('b')), 'mod.Foo');
  assert.equal(derived.retainedSize[ord('a')], 5);
  assert.equal(derived.totalSize, 17);
});

test('retained sizes above 2^32 stay exact', () => {
  const sizes: Record<string, number> = {};
  for (const t of ['a', 'b', 'c', 'd', 'e', 'f']) sizes[t] = 1e9;
  const { store } = graph('root->a a->b b->c c->d d->e e->f', { sizes });
  assert.equal(computeDerived(store).totalSize, 6e9);
});

test('reclassifies a base snapshot under the newer snapshot interfaces', async () => {
  const { inferInterfaceDefinitions } = await import('./class-names.js');
  const { classNamesWithInterfaces } = await import('./compute-derived.js');
  const newer = graph('root->o1 root->o2 o1->x o2->x', { names: { o1: 'Object', o2: 'Object' } });
  const base = graph('root->o1 o1->x', { names: { o1: 'Object' } });
  const interfaces = inferInterfaceDefinitions(newer.store);
  assert.deepEqual(interfaces.map((i) => i.name), ['{x}']);
  assert.equal(className(computeDerived(base.store), base.ord('o1')), 'Object', 'alone, one object proposes nothing');
  const classes = classNamesWithInterfaces(base.store, interfaces);
  assert.equal(classes.classNames[classes.classOf[base.ord('o1')]!], '{x}');
});
