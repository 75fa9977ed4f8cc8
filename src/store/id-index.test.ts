import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIdIndex, idAt, ordinalOfId } from './id-index.js';

/** The index a plain comparator sort gives: ids ascending, equal ids in ordinal order. */
function referenceIndex(ids: Float64Array): { sortedIds: number[]; sortedOrdinals: number[] } {
  const order = Array.from(ids, (_, i) => i).sort((a, b) => ids[a]! - ids[b]! || a - b);
  return { sortedIds: order.map((i) => ids[i]!), sortedOrdinals: order };
}

test('the radix-sorted id index equals a stable comparator sort for every id width, duplicates included', () => {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (const maxId of [1, 255, 4096, 1 << 20, 1 << 24, 2 ** 31, 2 ** 32 - 1]) {
    const ids = new Float64Array(5000);
    for (let i = 0; i < ids.length; i++) ids[i] = Math.floor(random() * (maxId + 1));
    ids[17] = ids[4000]!; // a duplicate
    const index = buildIdIndex(ids);
    const reference = referenceIndex(ids);
    assert.deepEqual([...index.sortedOrdinals].map((_, k) => idAt(index, k)), reference.sortedIds, `max id ${maxId}`);
    assert.deepEqual([...index.sortedOrdinals], reference.sortedOrdinals, `max id ${maxId}`);
    assert.equal(ordinalOfId(index, ids[4000]!), Math.min(17, reference.sortedOrdinals[reference.sortedIds.indexOf(ids[4000]!)]!));
  }
});

test('all-zero and single ids sort trivially', () => {
  assert.deepEqual([...buildIdIndex(new Float64Array([0, 0, 0])).sortedOrdinals], [0, 1, 2]);
  assert.deepEqual([...buildIdIndex(new Float64Array([9, 3])).sortedOrdinals], [1, 0]);
});
