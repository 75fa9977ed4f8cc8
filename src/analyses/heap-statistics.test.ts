import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeDerived } from './compute-derived.js';
import { heapStatistics } from './heap-statistics.js';
import { graph } from './test-graphs.js';

test('buckets self sizes the way DevTools statistics do', () => {
  const { store } = graph('root-s->win win->arr arr-i->el win->s win->f f-i->code win->h win->buf', {
    kinds: { s: 'string', f: 'closure', code: 'code', h: 'hidden', buf: 'native', el: 'array' },
    names: { arr: 'Array', buf: 'system / JSArrayBufferData' },
    edgeNames: { 'arr->el': 'elements' },
    sizes: { win: 1, arr: 16, el: 100, s: 10, f: 4, code: 50, h: 7, buf: 1000 },
  });
  const derived = computeDerived(store);
  const stats = heapStatistics(store, derived);
  // Reattribution moved the elements store onto its array (116 bytes) and the hidden node onto the window.
  assert.deepEqual(stats, { total: 1188, v8heap: 188, native: 1000, typedArrays: 1000, code: 50, strings: 10, jsArrays: 116, system: 0 });
});
