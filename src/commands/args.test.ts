import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandArgs } from './args.js';
import { tokenize } from './tokenizer.js';
import type { ArgSpec } from './types.js';

const spec: ArgSpec = {
  positionals: [{ name: 'REF', kind: 'ref', summary: 'object' }],
  flags: [
    { name: 'depth', kind: 'number', summary: 'depth', default: 3 },
    { name: 'all', kind: 'boolean', summary: 'weak too' },
    { name: 'by', kind: 'string', summary: 'sort key', choices: ['count', 'self', 'retained'] },
  ],
};

test('parses positionals, --flag value, --flag=value and booleans', () => {
  assert.deepEqual(parseCommandArgs('retainers', spec, tokenize('@12 --depth 5 --all')), { depth: 5, all: true, REF: '@12' });
  assert.deepEqual(parseCommandArgs('retainers', spec, tokenize('--by=self $1')), { depth: 3, by: 'self', REF: '$1' });
});

test('rejects unknown options with a suggestion', () => {
  assert.throws(() => parseCommandArgs('retainers', spec, tokenize('@1 --dept 2')), /unknown option --dept \(did you mean --depth\?\)/);
});

test('rejects a missing argument, a stray argument, a bad number and a bad choice', () => {
  assert.throws(() => parseCommandArgs('retainers', spec, []), /missing REF/);
  assert.throws(() => parseCommandArgs('retainers', spec, tokenize('@1 @2')), /unexpected argument '@2'/);
  assert.throws(() => parseCommandArgs('retainers', spec, tokenize('@1 --depth deep')), /expects a number/);
  assert.throws(() => parseCommandArgs('retainers', spec, tokenize('@1 --by size')), /must be one of count, self, retained/);
});
