import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WorkerEngine } from './worker-engine.js';

const demo = fileURLToPath(new URL('../../demo/node-leak-1.heapsnapshot.gz', import.meta.url));
const noProgress = () => {};

test('the worker engine loads a snapshot, runs commands and publishes type names for completion', async () => {
  const engine = new WorkerEngine({ session: { useIndex: false } });
  try {
    const phases: string[] = [];
    const loaded = await engine.run(`load ${demo}`, (phase) => phases.push(phase));
    assert.equal(loaded.ok, true, loaded.ok ? '' : loaded.error);
    assert.ok(phases.length > 0, 'progress crosses the thread boundary');
    const vocabulary = await engine.vocabulary();
    assert.equal(vocabulary.status.snapshot, 'node-leak-1');
    assert.ok(vocabulary.classNames.includes('Array'));
    assert.equal(vocabulary.classNames.length, vocabulary.classRetainedSizes.length);
    assert.ok(vocabulary.commands.find((c) => c.name === 'summary')?.positionals?.some((p) => p.completes === 'class'));

    const summary = await engine.run('summary --limit 3', noProgress);
    assert.equal(summary.ok && summary.result.kind, 'table');
    const after = await engine.vocabulary();
    assert.equal(after.classNames, vocabulary.classNames, 'unchanged type names are not sent again');
    assert.ok(after.recentRefs.length > 0, 'rows of the last result are offered as $N');
  } finally {
    await engine.close();
  }
});

test('the worker survives a failing command', async () => {
  const engine = new WorkerEngine();
  try {
    const failed = await engine.run('no-such-command', noProgress);
    assert.equal(failed.ok, false);
    const help = await engine.run('help', noProgress);
    assert.equal(help.ok, true);
  } finally {
    await engine.close();
  }
});

test('cancel() reaches a running load through shared memory', async () => {
  const engine = new WorkerEngine({ session: { useIndex: false } });
  try {
    let cancelled = false;
    const outcome = await engine.run(`load ${demo}`, () => {
      if (!cancelled) engine.cancel();
      cancelled = true;
    });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.code, 'cancelled');
    assert.equal((await engine.vocabulary()).status.snapshot, null, 'nothing half-loaded is left behind');
    const next = await engine.run('help', noProgress);
    assert.equal(next.ok, true, 'the next command runs normally');
  } finally {
    await engine.close();
  }
});

test('abort() replaces the worker, reports it in one outcome, and the shell engine stays usable', async () => {
  const restarts: string[] = [];
  const engine = new WorkerEngine({ session: { useIndex: false }, onRestart: (reason) => restarts.push(reason) });
  try {
    const running = engine.run(`load ${demo}`, () => engine.abort());
    const outcome = await running;
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.error : '', /restarted/);
    assert.equal(restarts.length, 1);
    const next = await engine.run('snapshots', noProgress);
    assert.equal(next.ok, true);
  } finally {
    await engine.close();
  }
});

const crashing = new URL('../../test/support/crashing-engine-worker.ts', import.meta.url);

test('a worker that dies during a command is replaced, and the command gets one error outcome', async () => {
  const engine = new WorkerEngine({ entry: crashing });
  try {
    const outcome = await engine.run('cycles', noProgress);
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? outcome.error : '', /stopped unexpectedly \(boom while running cycles\); restarted it/);
    const next = await engine.run('help', noProgress);
    assert.equal(next.ok, true, 'the replacement worker answers');
  } finally {
    await engine.close();
  }
});

test('a worker that dies while idle is reported as a notice', async () => {
  const engine = new WorkerEngine({ entry: crashing, entryData: { crashWhenIdle: true } });
  // An idle worker does not hold the process open (the shell's terminal does): hold it for the test.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    const notice = await new Promise<string>((resolve) => {
      engine.onNotice(resolve);
      void engine.vocabulary();
    });
    assert.match(notice, /exit code 9/);
  } finally {
    clearInterval(keepAlive);
    await engine.close();
  }
});
