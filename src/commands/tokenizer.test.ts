import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitCommands, tokenize } from './tokenizer.js';

test('splits a line on semicolons and drops comments, but not inside quotes', () => {
  assert.deepEqual(splitCommands('summary; show @12 # why'), ['summary', 'show @12']);
  assert.deepEqual(splitCommands('find "a; b #c"; more'), ['find "a; b #c"', 'more']);
  assert.deepEqual(splitCommands('# only a comment'), []);
  assert.deepEqual(splitCommands('  ;; '), []);
});

test('tokenizes quoted arguments and keeps their columns', () => {
  const tokens = tokenize(`load "my file.heapsnapshot" as 'before'`);
  assert.deepEqual(tokens.map((t) => t.text), ['load', 'my file.heapsnapshot', 'as', 'before']);
  assert.equal(tokens[1]!.column, 5);
  assert.equal(tokens[1]!.quoted, true);
});

test('reports an unterminated quote instead of guessing', () => {
  assert.throws(() => tokenize('find "oops'), /unterminated double quote at column 6/);
});
