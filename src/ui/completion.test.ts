import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCandidate, Completer } from './completion.js';
import { NameSet } from './name-ranking.js';
import { emptyVocabulary, type ShellVocabulary } from './shell-engine.js';

const vocabulary: ShellVocabulary = {
  ...emptyVocabulary,
  commands: [
    { name: 'referents', aliases: ['refs'], summary: 'outgoing edges', flags: ['limit'], positionals: [{ name: 'REF', completes: 'ref' }], switches: [] },
    { name: 'retainers', aliases: ['ret', 'why'], summary: 'who keeps it alive', flags: ['depth', 'paths', 'all'], positionals: [{ name: 'REF', completes: 'ref' }], switches: ['all'] },
    { name: 'reset', aliases: [], summary: 'a decoy', flags: [] },
    { name: 'summary', aliases: ['types'], summary: 'objects by type', flags: ['by', 'limit'], positionals: [{ name: 'PATTERN', completes: 'class' }], flagChoices: { by: ['count', 'self', 'retained'] }, switches: [] },
    { name: 'use', aliases: [], summary: 'switch snapshot', flags: [], positionals: [{ name: 'NAME', completes: 'snapshot' }] },
  ],
  classNames: ['Leak', 'LeakyBucket', 'leak', 'Array', 'Object', 'system / Context', 'BigLeakHolder'],
  classRetainedSizes: [100, 5000, 10, 9000, 8000, 7000, 1],
  snapshotNames: ['before', 'after'],
  recentRefs: [
    { ref: '@101', type: 'Leak', row: 1 },
    { ref: '@202', type: 'Array', row: 2 },
  ],
};

const vocabularyWithLoad: ShellVocabulary = {
  ...vocabulary,
  commands: [...vocabulary.commands, { name: 'load', aliases: [], summary: 'load a snapshot', flags: [], positionals: [{ name: 'FILE', completes: 'file' }] }],
};

const labels = (line: string, explicit = false) => new Completer(vocabulary).complete(line, 8, explicit).items.map((item) => item.label);

test('`ret` offers retainers first: an exact alias beats name prefixes and fuzzy matches', () => {
  const list = labels('ret');
  assert.equal(list[0], 'retainers');
  assert.ok(list.indexOf('retainers') < list.indexOf('referents') || !list.includes('referents'));
});

test('command names rank exact, then prefix, then fuzzy', () => {
  assert.deepEqual(labels('re').slice(0, 3).sort(), ['referents', 'reset', 'retainers']);
  assert.deepEqual(labels('rtnr'), ['retainers'], 'a fuzzy subsequence still finds the command');
});

test('after `summary ` a type name completes, exact and case-insensitive before prefix, big types first', () => {
  assert.deepEqual(labels('summary Leak'), ['Leak', 'leak', 'LeakyBucket', 'BigLeakHolder']);
  assert.deepEqual(labels('summary ', true).slice(0, 3), ['Array', 'Object', 'system / Context'], 'Tab on an empty word lists the biggest types');
  assert.deepEqual(labels('summary '), [], 'nothing pops up on a bare space while typing');
});

test('type names with spaces are quoted when inserted', () => {
  const completer = new Completer(vocabulary);
  const completion = completer.complete('summary syst', 8, true);
  assert.equal(applyCandidate('summary syst', completion, completion.items[0]!, true), 'summary "system / Context" ');
});

test('flags of the current command complete after --, and flag values from their choices', () => {
  assert.deepEqual(labels('retainers @1 --d'), ['--depth']);
  assert.deepEqual(labels('summary --by ', true), ['count', 'self', 'retained']);
  assert.deepEqual(labels('summary --by re'), ['retained']);
});

test('a flag whose value is a type completes type names', () => {
  const withFind: ShellVocabulary = {
    ...vocabulary,
    commands: [...vocabulary.commands, { name: 'find', aliases: [], summary: 'find objects', flags: ['type'], positionals: [{ name: 'PATTERN' }], flagCompletes: { type: 'class' } }],
  };
  assert.deepEqual(new Completer(withFind).complete('find x --type Leaky', 8, false).items.map((item) => item.label), ['LeakyBucket']);
});

test('references complete from the rows of recent results, never from the whole heap', () => {
  assert.deepEqual(labels('retainers $'), ['$1', '$2']);
  assert.deepEqual(labels('referents @2'), ['@202']);
  const completion = new Completer(vocabulary).complete('retainers ', 8, true);
  assert.deepEqual(completion.items.map((item) => item.detail), ['@101 Leak', '@202 Array']);
});

test('snapshot names complete for `use`, and the last command after ; is the one completed', () => {
  assert.deepEqual(labels('summary; use be'), ['before']);
});

test('a name set ranks by tier, then weight, and counts every match', () => {
  const names = Array.from({ length: 1000 }, (_, i) => `Type${i}`);
  const set = new NameSet(names, Float64Array.from(names, (_, i) => i));
  const ranked = set.rank('type99', 3);
  assert.deepEqual(ranked.items.map((item) => names[item.index]), ['Type99', 'Type999', 'Type998']);
  assert.ok(ranked.total >= 11);
});

test('`load ` completes folders and snapshot files, and a folder stays open for the next part', () => {
  const tree: Record<string, { name: string; directory: boolean }[]> = {
    '.': [{ name: 'demo', directory: true }, { name: 'README.md', directory: false }, { name: '.git', directory: true }],
    'demo/': [{ name: 'a.heapsnapshot.gz', directory: false }, { name: 'b.pyheap', directory: false }, { name: 'notes.txt', directory: false }],
  };
  const completer = new Completer(vocabularyWithLoad, (path) => tree[path] ?? []);
  const first = completer.complete('load ', 8, true);
  assert.deepEqual(first.items.map((item) => item.label), ['demo/']);
  assert.equal(applyCandidate('load ', first, first.items[0]!, true), 'load demo/', 'no space after a folder');
  const inside = completer.complete('load demo/', 8, false);
  assert.deepEqual(inside.items.map((item) => item.text), ['demo/a.heapsnapshot.gz', 'demo/b.pyheap']);
});
