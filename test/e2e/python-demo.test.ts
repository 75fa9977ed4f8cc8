// The seed user's scenario (scripts/demo_python_app.py, bundled as demo/python-app-*.pyheap.gz): `garbage` lists
// the self-referencing A and the throw-away ctypes array type with reprs, `cycles` marks them, growth sees the cache.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { agentPath } from '../../src/cli/package-files.js';
import { makeTempDir } from '../support/snapshots.js';
import { fileURLToPath } from 'node:url';
import { testShell, type TestShell } from '../support/engine.js';

const demo = (name: string) => fileURLToPath(new URL(`../../demo/${name}`, import.meta.url));
let shell: TestShell;

before(async () => {
  shell = testShell();
  await shell.json(`load ${demo('python-app-1.pyheap.gz')}`);
  await shell.json(`load ${demo('python-app-2.pyheap.gz')}`);
});

test('garbage lists the self-referencing A and the throw-away ctypes array type, with reprs', async () => {
  const garbage = await shell.json('garbage --limit 100');
  const a = garbage.objects.find((o: any) => o.type === '__main__.A');
  assert.ok(a, 'the A instance is garbage');
  assert.equal(a.repr, `<__main__.A object at ${a.ref}>`);
  assert.match(a.ref, /^0x[0-9a-f]+$/);
  const arrayType = garbage.objects.find((o: any) => /c_long_Array_1/.test(o.repr ?? '') && o.type.endsWith('PyCArrayType'));
  assert.ok(arrayType, 'the ctypes array type is garbage');
  assert.equal(garbage.count, garbage.objects.length);
  assert.ok(garbage.sourceCycles >= 2);
  assert.ok(garbage.objects.every((o: any) => typeof o.marks === 'string'));
});

test('cycles puts the garbage cycles first and marks them; A is a cycle of one through .ref', async () => {
  const cycles = await shell.json('cycles --garbage');
  assert.ok(cycles.cycles.length >= 2);
  assert.ok(cycles.cycles.every((c: any) => c.garbage === true));
  const all = await shell.json('cycles --limit 3');
  assert.equal(all.cycles[0].garbage, true);
  const garbage = await shell.json('garbage --type __main__.a');
  assert.equal(garbage.objects.length, 1, 'type names match case-insensitively');
  const typo = await shell.attempt('garbage --type __main__.Ordr');
  assert.match(typo.error, /no type '__main__\.Ordr' .* did you mean '__main__\.Order'/);
  const through = await shell.json(`cycles ${garbage.objects[0].ref}`);
  assert.deepEqual(through.cycles[0].edges, ['.ref']);
});

test('show gives refcount, generation and flags; a live object has a readable path from a module', async () => {
  const found = await shell.json('find --type __main__.OrderCache');
  const cache = found.objects[0];
  const shown = await shell.json(`show ${cache.ref}`);
  assert.equal(typeof shown.refcount, 'number');
  assert.ok(shown.generation >= 0);
  const retainers = await shell.json(`retainers ${cache.ref}`);
  const labels = retainers.paths[0].map((step: any) => step.edge).filter(Boolean);
  assert.ok(labels.some((label: string) => /cache/.test(label)), labels.join(' '));
  // The module's globals dict holds `cache`; the path starts at a module or at that dict.
  assert.ok(retainers.paths[0].some((step: any) => step.type === 'module' || /'__name__': '__main__'/.test(step.repr ?? '')), JSON.stringify(retainers.paths[0]));
});

test('growth between the two dumps matches objects by id and type and sees 200 more orders', async () => {
  const growth = await shell.json('growth --limit 200');
  const orders = growth.rows.find((row: any) => row.type === '__main__.Order');
  assert.equal(orders.countDelta, 200);
  assert.equal(orders.count, 400);
});

test('a dump taken under DEBUG_SAVEALL says so: the seed user\'s setting re-saves garbage instead of freeing it', async (t) => {
  const dir = makeTempDir();
  t.after(() => dir.remove());
  const script = join(dir.path, 'saveall.py');
  writeFileSync(
    script,
    [
      'import gc, sys, importlib.util',
      'spec = importlib.util.spec_from_file_location("gcsh_agent", sys.argv[1]); agent = importlib.util.module_from_spec(spec); spec.loader.exec_module(agent)',
      'gc.set_debug(gc.DEBUG_SAVEALL)',
      'class A:',
      '    def __init__(self): self.ref = self',
      'A(); gc.collect(); A()',
      'agent.dump(sys.argv[2])',
    ].join('\n'),
  );
  const out = join(dir.path, 'saveall.pyheap');
  try {
    execFileSync('python3', [script, agentPath(), out], { stdio: 'ignore' });
  } catch {
    return t.skip('no python3 on PATH');
  }
  const own = testShell();
  await own.json(`load ${out}`);
  const garbage = await own.json('garbage');
  assert.equal(garbage.gcDebug & 32, 32);
  assert.equal(garbage.gcGarbageCount, 1, 'the first A sits in gc.garbage');
  assert.equal(garbage.count, 1, 'only the second A would be collected now');
  assert.match(await own.text('garbage'), /warning: the process ran with gc\.DEBUG_SAVEALL/);
});
