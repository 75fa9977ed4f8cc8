// The bundled Node leak series (three snapshots of one process, 400 leaked request contexts per step):
// growth, leak candidates, find, assert, set and history as a user scripting a CI check would use them.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runGcsh } from '../support/run-gcsh.js';
import { testShell, type TestShell } from '../support/engine.js';

const demo = (step: number) => fileURLToPath(new URL(`../../demo/node-leak-${step}.heapsnapshot.gz`, import.meta.url));
let shell: TestShell;

before(async () => {
  shell = testShell();
  for (const step of [1, 2, 3]) await shell.json(`load ${demo(step)}`);
});

test('growth compares the previous snapshot with the current one, per type', async () => {
  const growth = await shell.json('growth --limit 100');
  assert.equal(growth.from, 'node-leak-2');
  assert.equal(growth.to, 'node-leak-3');
  const contexts = growth.rows.find((row: any) => row.type === 'RequestContext');
  assert.equal(contexts.addedCount, 400);
  assert.equal(contexts.removedCount, 0);
  assert.equal(contexts.countDelta, 400);
  assert.equal(contexts.count, 1200);
  const explicit = await shell.json('growth node-leak-1 node-leak-3 --limit 100');
  assert.equal(explicit.rows.find((row: any) => row.type === 'RequestContext').countDelta, 800);
});

test('growth --steps finds the types that grew at every step and the leaked listeners', async () => {
  const steps = await shell.json('growth --steps --limit 5');
  const contexts = steps.steadyGrowth.find((g: any) => g.type === 'RequestContext');
  assert.deepEqual(contexts.counts, [400, 800, 1200]);
  assert.ok(steps.total > 400, 'the 400 listeners of the middle step are candidates');
  assert.ok(steps.objects.some((o: any) => /^global\.app\.bus\.listeners\[\d+\]$/.test(o.path)), JSON.stringify(steps.objects.map((o: any) => o.path)));
});

test('growth --steps takes only the current snapshot\'s language, up to the current one', async () => {
  const mixed = testShell();
  for (const step of [1, 2, 3]) await mixed.json(`load ${demo(step)}`);
  const python = (n: number) => fileURLToPath(new URL(`../../demo/python-app-${n}.pyheap.gz`, import.meta.url));
  await mixed.json(`load ${python(1)}`);
  await mixed.json(`load ${python(2)}`);
  await mixed.json('use node-leak-3');
  const steps = await mixed.json('growth --steps --limit 1');
  assert.deepEqual(steps.steadyGrowth.find((g: any) => g.type === 'RequestContext').counts, [400, 800, 1200]);
  await mixed.json('use python-app-2');
  await assert.rejects(mixed.json('growth --steps'), /three or more Python snapshots/);
});

test('find lists objects of a matching type first', async () => {
  const found = await shell.json('find RequestContext --limit 3');
  assert.equal(found.typeMatchCount, 1200);
  assert.ok(found.objects.every((o: any) => o.type === 'RequestContext'));
  const byType = await shell.json('find --type RequestContext --limit 1');
  assert.equal(byType.total, 1200);
});

test('assert passes quietly, fails with the actual value, and set/history work', async () => {
  assert.match((await shell.json('assert count RequestContext == 1200')).message, /^ok: count RequestContext == 1200/);
  const failed = await shell.attempt('assert growth RequestContext <= 0');
  assert.equal(failed.ok, false);
  assert.equal(failed.code, 'assert-failed');
  assert.match(failed.error, /actual 400/);
  await shell.json('set limit 2');
  assert.equal((await shell.json('summary')).rows.length, 2);
  await shell.json('set limit 20');
  const history = await shell.json('history');
  assert.ok(history.rows.some((row: any) => row.command === 'set limit 2'));
});

test('a failed assert makes batch mode exit 3', () => {
  const run = runGcsh([demo(1), demo(2), '--no-index', '-e', 'assert garbage == 0; assert growth RequestContext <= 0; summary']);
  assert.equal(run.status, 3, run.stderr);
  assert.match(run.stdout, /ok: garbage == 0/);
  assert.match(run.stderr, /assertion failed: growth RequestContext <= 0 \(actual 400\)/);
});
