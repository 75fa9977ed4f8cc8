import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { commandsMarkdown } from '../src/cli/commands-doc.js';

test('docs/commands.md matches the command registry (run `npm run docs` when this fails)', () => {
  const committed = readFileSync(new URL('../docs/commands.md', import.meta.url), 'utf8');
  assert.equal(committed, commandsMarkdown());
});
