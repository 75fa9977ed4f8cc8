import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Completion } from './completion.js';
import { doublePressMs, initialShellState, shellReducer, type ShellAction, type ShellState } from './state.js';

function run(state: ShellState, ...actions: ShellAction[]): ShellState {
  return actions.reduce(shellReducer, state);
}

const typed = (value: string): ShellAction => ({ type: 'edit', value, now: 0 });

function completionOf(line: string, from: number, names: string[]): Completion {
  return { from, word: line.slice(from), total: names.length, items: names.map((name) => ({ text: name, label: name, kind: 'command', detail: '', matches: [] })) };
}

test('submit splits the line on ; into the queue, records it in history and clears the draft', () => {
  const state = run(initialShellState(), typed('summary; cycles'), { type: 'submit', now: 0 });
  assert.deepEqual(state.queue, ['summary', 'cycles']);
  assert.deepEqual(state.history, ['summary; cycles']);
  assert.equal(state.historyAdded, 1);
  assert.equal(state.draft, '');
});

test('history skips empty lines, repeats of the previous entry, and lines starting with a space', () => {
  let state = initialShellState(['summary']);
  for (const line of ['summary', '   ', ' secret', 'cycles ']) {
    state = run({ ...state, queue: [] }, typed(line), { type: 'submit', now: 0 });
  }
  assert.deepEqual(state.history, ['summary', 'cycles']);
});

test('up and down walk the history and restore the unsent draft', () => {
  let state = run(initialShellState(['one', 'two']), typed('dra'));
  state = run(state, { type: 'historyPrev' });
  assert.equal(state.draft, 'two');
  state = run(state, { type: 'historyPrev' }, { type: 'historyPrev' });
  assert.equal(state.draft, 'one');
  state = run(state, { type: 'historyNext' });
  assert.equal(state.draft, 'two');
  const before = state.editEpoch;
  state = run(state, { type: 'historyNext' });
  assert.equal(state.draft, 'dra');
  assert.ok(state.editEpoch > before, 'a programmatic edit remounts the input so the cursor goes to the end');
});

test('tab with one candidate completes it with a trailing space', () => {
  const state = run(initialShellState(), typed('retai'), { type: 'cycle', direction: 1, completion: completionOf('retai', 0, ['retainers']) });
  assert.equal(state.draft, 'retainers ');
  assert.equal(state.menu, null);
});

test('tab with several candidates cycles through them and enter accepts the one shown', () => {
  const completion = completionOf('summary Fo', 8, ['Foo', 'FooBar', 'Food']);
  let state = run(initialShellState(), typed('summary Fo'), { type: 'cycle', direction: 1, completion });
  assert.equal(state.draft, 'summary Foo');
  state = run(state, { type: 'cycle', direction: 1, completion: null });
  assert.equal(state.draft, 'summary FooBar');
  state = run(state, { type: 'cycle', direction: -1, completion: null }, { type: 'cycle', direction: -1, completion: null });
  assert.equal(state.draft, 'summary Food', 'shift-tab wraps around');
  state = run(state, { type: 'accept' });
  assert.equal(state.draft, 'summary Food ');
  assert.equal(state.menu, null);
  assert.deepEqual(state.queue, [], 'enter on a selected suggestion accepts it instead of running');
});

test('escape while cycling restores what was typed', () => {
  const state = run(initialShellState(), typed('summary Fo'), { type: 'cycle', direction: 1, completion: completionOf('summary Fo', 8, ['Foo', 'Fox']) }, { type: 'escape' });
  assert.equal(state.draft, 'summary Fo');
  assert.equal(state.dismissed, true);
});

test('ctrl-c clears a non-empty line, then arms exit, and a second press within 2 s exits', () => {
  let state = run(initialShellState(), typed('summary'), { type: 'ctrlC', now: 1000 });
  assert.equal(state.draft, '');
  assert.equal(state.exiting, false);
  state = run(state, { type: 'ctrlC', now: 2000 });
  assert.equal(state.notice?.text, 'press Ctrl-C again to exit');
  assert.equal(state.exiting, false);
  state = run(state, { type: 'ctrlC', now: 2000 + doublePressMs - 1 });
  assert.equal(state.exiting, true);
});

test('a second ctrl-c after the 2 s window arms exit again instead of exiting', () => {
  let state = run(initialShellState(), { type: 'ctrlC', now: 0 });
  state = run(state, { type: 'tick', now: doublePressMs + 100 });
  assert.equal(state.notice, null);
  state = run(state, { type: 'ctrlC', now: doublePressMs + 200 });
  assert.equal(state.exiting, false);
  assert.equal(state.notice?.text, 'press Ctrl-C again to exit');
});

test('ctrl-c while a command runs requests cancellation, a second one within 2 s requests an abort', () => {
  let state = run(initialShellState(), typed('load big; summary'), { type: 'submit', now: 0 }, { type: 'started', now: 0 });
  assert.equal(state.running?.text, 'load big');
  state = run(state, { type: 'ctrlC', now: 100 });
  assert.equal(state.cancelRequests, 1);
  assert.deepEqual(state.queue, [], 'the rest of the line is dropped');
  assert.equal(state.exiting, false);
  state = run(state, { type: 'ctrlC', now: 500 });
  assert.equal(state.abortRequests, 1);
  assert.equal(state.exiting, false);
});

test('ctrl-d exits only on an empty line while idle', () => {
  assert.equal(run(initialShellState(), typed('x'), { type: 'ctrlD' }).exiting, false);
  assert.equal(run(initialShellState(), { type: 'ctrlD' }).exiting, true);
});

test('a running command echoes its text, and its output follows when it finishes', () => {
  let state = run(initialShellState([], ['welcome']), typed('summary'), { type: 'submit', now: 0 }, { type: 'started', now: 5 });
  state = run(state, { type: 'progress', phase: 'reading', done: 1, total: 10, now: 6 }, { type: 'progress', phase: 'reading', done: 5, total: 10, now: 9 });
  assert.equal(state.progress?.phaseStartedAt, 6);
  state = run(state, { type: 'finished', text: 'the table', ok: true });
  assert.deepEqual(state.transcript.map((e) => [e.kind, e.text]), [['output', 'welcome'], ['echo', 'summary'], ['output', 'the table']]);
  assert.equal(state.running, null);
  assert.equal(state.progress, null);
});

test('a failing command drops the rest of its line; quit exits', () => {
  let state = run(initialShellState(), typed('bogus; summary'), { type: 'submit', now: 0 }, { type: 'started', now: 0 }, { type: 'finished', text: 'error', ok: false });
  assert.deepEqual(state.queue, []);
  state = run(state, typed('quit'), { type: 'submit', now: 0 }, { type: 'started', now: 0 }, { type: 'finished', text: '', ok: true, quit: true });
  assert.equal(state.exiting, true);
});

test('enter while a command runs queues the line behind it, and ctrl-c drops it with the running one', () => {
  let state = run(initialShellState(), typed('load x'), { type: 'submit', now: 0 }, { type: 'started', now: 0 }, typed('summary'), { type: 'submit', now: 1 });
  assert.deepEqual(state.queue, ['summary']);
  assert.equal(state.draft, '');
  assert.match(state.notice?.text ?? '', /queued/);
  state = run(state, { type: 'ctrlC', now: 2 });
  assert.deepEqual(state.queue, []);
});

test('a pasted block with line breaks runs each complete line and keeps the last as the draft', () => {
  const state = run(initialShellState(), { type: 'edit', value: 'summary\ncycles\nretai', now: 0 });
  assert.deepEqual(state.queue, ['summary', 'cycles']);
  assert.deepEqual(state.history, ['summary', 'cycles']);
  assert.equal(state.draft, 'retai');
});

test('ctrl-l clears the transcript by remounting it under a new key', () => {
  const state = run(initialShellState([], ['a', 'b']), { type: 'clearScreen' });
  assert.deepEqual(state.transcript, []);
  assert.equal(state.screenEpoch, 1);
});

test('several keys read at once are replayed one by one: text, Enter, Ctrl-C', () => {
  let state = run(initialShellState(), { type: 'keys', text: 'summary\rcyc', now: 0 });
  assert.deepEqual(state.queue, ['summary']);
  assert.equal(state.draft, 'cyc');
  state = run(initialShellState(), { type: 'keys', text: 'snapshots\r\u0003', now: 0 });
  assert.deepEqual(state.queue, [], 'Ctrl-C right after Enter cancels the line before it starts');
  assert.equal(state.draft, '');
  state = run(initialShellState(), { type: 'keys', text: 'ab\u007fc', now: 0 });
  assert.equal(state.draft, 'ac');
  state = run(state, { type: 'keys', text: '\u0003\u0003', now: 0 });
  assert.equal(state.exiting, false, 'the first Ctrl-C clears the line, the second arms exit');
  state = run(state, { type: 'keys', text: '\u0003', now: 10 });
  assert.equal(state.exiting, true);
});
