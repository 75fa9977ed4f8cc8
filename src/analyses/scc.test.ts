import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder } from '../store/graph-builder.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';
import { stronglyConnectedComponents } from './scc.js';
import { graph } from './test-graphs.js';

test('groups mutually reachable nodes and leaves the rest as singletons', () => {
  const { store, ord } = graph('root->a a->b b->c c->a c->d d->e e->d');
  const scc = stronglyConnectedComponents(store);
  const same = (x: string, y: string) => scc.componentOf[ord(x)] === scc.componentOf[ord(y)];
  assert.ok(same('a', 'b') && same('b', 'c'));
  assert.ok(same('d', 'e'));
  assert.ok(!same('a', 'd'));
  assert.equal(scc.componentCount, 3);
  assert.equal(scc.firstMember[scc.componentCount], store.nodeCount);
});

test('ignores weak edges unless asked', () => {
  const { store, ord } = graph('root->a a->b b-w->a');
  assert.notEqual(stronglyConnectedComponents(store).componentOf[ord('a')], stronglyConnectedComponents(store).componentOf[ord('b')]);
  const withWeak = stronglyConnectedComponents(store, { includeWeak: true });
  assert.equal(withWeak.componentOf[ord('a')], withWeak.componentOf[ord('b')]);
});

test('skipped nodes break cycles through them', () => {
  const { store, ord } = graph('root->a a->h h->a');
  const skipNode = new Uint8Array(store.nodeCount);
  skipNode[ord('h')] = 1;
  const scc = stronglyConnectedComponents(store, { skipNode });
  assert.notEqual(scc.componentOf[ord('a')], scc.componentOf[ord('h')]);
});

test('handles a 3-million-node chain closed into a ring without overflowing the stack', () => {
  const nodeCount = 3_000_000;
  const builder = new GraphBuilder();
  // Building through GraphBuilder would be slow; assemble the ring through the builder's store contract instead.
  builder.addNode({ kind: NodeKind.synthetic, name: '', id: 1, selfSize: 0 });
  const small = builder.build({ language: 'v8' });
  const firstOutEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0; i <= nodeCount; i++) firstOutEdge[i] = i;
  const edgeTarget = new Uint32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) edgeTarget[i] = (i + 1) % nodeCount;
  const store = { ...small, nodeCount, edgeCount: nodeCount, firstOutEdge, edgeTarget, edgeKind: new Uint8Array(nodeCount).fill(EdgeKind.property) };
  const scc = stronglyConnectedComponents(store);
  assert.equal(scc.componentCount, 1);
  const open = { ...store, edgeTarget: edgeTarget.map((t, i) => (i === nodeCount - 1 ? i : t)) };
  assert.equal(stronglyConnectedComponents(open).componentCount, nodeCount);
});
