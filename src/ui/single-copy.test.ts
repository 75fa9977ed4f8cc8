import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Two copies of React or Ink break hooks in confusing ways (notes pitfall 12): the tree must hold one of each.
test('node_modules holds exactly one react and one ink', () => {
  const root = fileURLToPath(new URL('../../node_modules', import.meta.url));
  const found: Record<string, string[]> = { react: [], ink: [] };
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        // Scoped packages (their own names never clash with react/ink; @types/react is only typings).
        for (const scoped of readdirSync(path, { withFileTypes: true })) {
          const nested = join(path, scoped.name, 'node_modules');
          if (scoped.isDirectory() && existsSync(nested)) stack.push(nested);
        }
        continue;
      }
      if (entry.name in found) found[entry.name]!.push(path);
      const nested = join(path, 'node_modules');
      if (existsSync(nested)) stack.push(nested);
    }
  }
  assert.equal(found.react!.length, 1, found.react!.join(', '));
  assert.equal(found.ink!.length, 1, found.ink!.join(', '));
});
