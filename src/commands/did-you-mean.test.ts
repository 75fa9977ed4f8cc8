import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestName, rankNames } from './did-you-mean.js';

test('ranks exact, then case-insensitive, then prefix, then fuzzy matches', () => {
  const names = ['Retainer', 'retainers', 'RETAINERS', 'ret', 'cycles', 'r_e_t'];
  const ranked = rankNames('ret', names).map((r) => `${r.tier}:${r.name}`);
  assert.deepEqual(ranked.slice(0, 4), ['exact:ret', 'prefix:Retainer', 'prefix:RETAINERS', 'prefix:retainers']);
  assert.ok(ranked.includes('fuzzy:r_e_t'));
  assert.ok(!ranked.some((r) => r.endsWith('cycles')));
});

test('suggests the closest command for a typo', () => {
  assert.equal(closestName('retianers', ['retainers', 'referents', 'summary']), 'retainers');
  assert.equal(closestName('sumary', ['retainers', 'referents', 'summary']), 'summary');
  assert.equal(closestName('zzzzzz', ['retainers', 'summary']), undefined);
});
