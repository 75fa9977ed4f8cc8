import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import type { ProgressSink } from '../../base/cancel.js';
import type { CommandOutcome } from '../../commands/types.js';
import { emptyVocabulary, type ShellEngine, type ShellVocabulary } from '../shell-engine.js';
import { App, type HistoryPort } from './app.js';

const keys = { up: '\u001B[A', down: '\u001B[B', tab: '\t', enter: '\r', ctrlC: '\u0003', ctrlD: '\u0004', escape: '\u001B' };

const vocabulary: ShellVocabulary = {
  ...emptyVocabulary,
  commands: [
    { name: 'referents', aliases: ['refs'], summary: 'outgoing edges with labels', flags: [], positionals: [{ name: 'REF', completes: 'ref' }] },
    { name: 'retainers', aliases: ['ret'], summary: 'who keeps it alive', flags: ['depth'], positionals: [{ name: 'REF', completes: 'ref' }] },
    { name: 'summary', aliases: [], summary: 'objects grouped by type', flags: ['by'], positionals: [{ name: 'PATTERN', completes: 'class' }] },
    { name: 'load', aliases: [], summary: 'load a snapshot', flags: [], positionals: [{ name: 'FILE', completes: 'file' }] },
  ],
  classNames: ['LeakyBucket', 'Array', 'Object'],
  classRetainedSizes: [5000, 9000, 8000],
  status: { snapshot: 'demo', language: 'v8', nodeCount: 1234, edgeCount: 5678, totalSize: 4_000_000 },
};

/** Answers every command with a message; `load slow` waits for cancel() and reports progress meanwhile. */
class FakeEngine implements ShellEngine {
  readonly ran: string[] = [];
  cancels = 0;
  private release: (() => void) | null = null;

  async run(commandText: string, progress: ProgressSink): Promise<CommandOutcome> {
    this.ran.push(commandText);
    if (commandText === 'load slow') {
      progress('reading', 30, 100);
      await new Promise<void>((resolve) => (this.release = resolve));
      return { ok: false, command: 'load', code: 'cancelled', error: 'cancelled', elapsedMs: 1500 };
    }
    if (commandText === 'quit') return { ok: true, command: 'quit', result: { kind: 'quit' }, elapsedMs: 0 };
    return { ok: true, command: commandText.split(' ')[0]!, result: { kind: 'message', text: `output of ${commandText}` }, elapsedMs: 1 };
  }

  cancel(): void {
    this.cancels++;
    this.release?.();
  }

  async vocabulary(): Promise<ShellVocabulary> {
    return vocabulary;
  }
}

class MemoryHistory implements HistoryPort {
  readonly recorded: string[] = [];
  constructor(readonly entries: string[] = []) {}
  record(line: string): void {
    this.recorded.push(line);
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`waitFor: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function mount(engine = new FakeEngine(), history = new MemoryHistory()) {
  const app = render(<App engine={engine} color={false} history={history} welcome={['welcome to gcsh']} />);
  const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
  /** The prompt row as shown (the fake cursor is an inverse space at the end). */
  const promptLine = () => frame().split('\n').find((line) => line.startsWith('gcsh>'))?.trimEnd() ?? '';
  /** Exiting drops the live area: the prompt and the status line go away. */
  const exited = () => !frame().includes('RSS');
  // One key at a time, as a person types: ink-text-input subscribes its key handler in a passive effect after
  // each change, so keys written back-to-back in one tick would reach its previous closure (notes pitfall 8).
  const type = async (text: string) => {
    for (const ch of text) {
      // Let React run the passive effects of the last render first (a remounted input subscribes there).
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      const before = app.frames.length;
      app.stdin.write(ch);
      await waitFor(() => app.frames.length > before, `frame after typing ${JSON.stringify(ch)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return { app, engine, history, frame, promptLine, type, exited };
}

test('the prompt shows the status line, runs a typed command and prints its output in the transcript', async () => {
  const { app, frame, type, engine } = mount();
  await waitFor(() => frame().includes('demo · V8 · 1,234 objects'), 'status line');
  await type('summary');
  await waitFor(() => frame().includes('gcsh> summary'), 'typed text');
  app.stdin.write(keys.enter);
  await waitFor(() => frame().includes('output of summary'), 'command output');
  assert.deepEqual(engine.ran, ['summary']);
  const lines = frame().split('\n');
  assert.ok(lines.indexOf('welcome to gcsh') < lines.indexOf('gcsh> summary'), 'the transcript keeps its order');
  assert.equal(lines.filter((line) => line === 'output of summary').length, 1, 'each result is printed once');
  app.unmount();
});

test('typing `ret` offers retainers first in the completion list', async () => {
  const { app, frame, type } = mount();
  await waitFor(() => frame().includes('demo ·'), 'vocabulary');
  await type('ret');
  await waitFor(() => frame().includes('who keeps it alive'), 'suggestions');
  const suggestionRows = frame().split('\n').filter((line) => line.startsWith('  '));
  assert.match(suggestionRows[0]!, /^\s+retainers\s+who keeps it alive/);
  app.unmount();
});

test('tab completes a type name after `summary `', async () => {
  const { app, frame, type, promptLine } = mount();
  await waitFor(() => frame().includes('demo ·'), 'vocabulary');
  await type('summary Leak');
  await waitFor(() => frame().includes('LeakyBucket'), 'type suggestion');
  app.stdin.write(keys.tab);
  await waitFor(() => promptLine() === 'gcsh> summary LeakyBucket', `completed line, got ${JSON.stringify(promptLine())}`);
  await type('x');
  await waitFor(() => promptLine() === 'gcsh> summary LeakyBucket x', 'cursor at the end after completion');
  app.unmount();
});

test('up recalls history with the cursor at the end, and submitted lines are recorded', async () => {
  const history = new MemoryHistory(['retainers @42']);
  const { app, frame, type, promptLine } = mount(new FakeEngine(), history);
  await waitFor(() => frame().includes('demo ·'), 'vocabulary');
  app.stdin.write(keys.up);
  await waitFor(() => promptLine() === 'gcsh> retainers @42', 'recalled line');
  await type('X');
  await waitFor(() => promptLine() === 'gcsh> retainers @42X', 'typed after recall');
  app.stdin.write(keys.enter);
  await waitFor(() => frame().includes('output of retainers @42X'), 'ran recalled line');
  assert.deepEqual(history.recorded, ['retainers @42X']);
  app.unmount();
});

test('ctrl-c while a command runs cancels it through the engine and the prompt returns', async () => {
  const { app, frame, type, engine } = mount();
  await waitFor(() => frame().includes('demo ·'), 'vocabulary');
  await type('load slow');
  app.stdin.write(keys.enter);
  await waitFor(() => frame().includes('reading') && frame().includes('Ctrl-C cancels'), 'progress and status while running');
  app.stdin.write(keys.ctrlC);
  await waitFor(() => frame().includes('cancelled `load slow` after 1.5 s'), 'cancellation note');
  assert.equal(engine.cancels, 1);
  await type('summary');
  app.stdin.write(keys.enter);
  await waitFor(() => frame().includes('output of summary'), 'shell usable after cancel');
  app.unmount();
});

test('ctrl-c on an empty line asks for a second press, which exits', async () => {
  const { app, frame, exited } = mount();
  await waitFor(() => frame().includes('demo ·'), 'vocabulary');
  app.stdin.write(keys.ctrlC);
  await waitFor(() => frame().includes('press Ctrl-C again to exit'), 'exit notice');
  app.stdin.write(keys.ctrlC);
  await waitFor(exited, 'prompt gone after exit');
  app.unmount();
});

test('ctrl-d exits on an empty line and is not typed into a non-empty one', async () => {
  const { app, frame, type, promptLine, exited } = mount();
  await waitFor(() => frame().includes('demo ·'), 'vocabulary');
  await type('ab');
  app.stdin.write(keys.ctrlD);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(promptLine(), 'gcsh> ab');
  app.stdin.write(keys.ctrlC);
  await waitFor(() => promptLine() === 'gcsh>', 'line cleared');
  assert.equal(exited(), false);
  app.stdin.write(keys.ctrlD);
  await waitFor(exited, 'exited');
  app.unmount();
});
