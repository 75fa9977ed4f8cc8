// Real-terminal end-to-end test of the Ink shell under tmux (notes §12): the built binary on a demo snapshot,
// driven with send-keys and read with capture-pane. Skipped when tmux is not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeChainSnapshot } from './synthetic-snapshot.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const session = `gcsh-e2e-${process.pid}`;

/** A private tmux server (its own socket), so the test never touches anyone else's sessions. */
function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', session, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The whole pane with its scrollback, wrapped lines joined. */
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
/** Only the visible rows (the live area is at their bottom). */
const visible = () => tmux('capture-pane', '-p', '-J', '-t', session);

async function waitFor(check: (text: string) => boolean, what: string, timeoutMs = 15_000, read = screen): Promise<string> {
  const started = Date.now();
  for (;;) {
    const text = read();
    if (check(text)) return text;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const typeText = (text: string) => tmux('send-keys', '-t', session, '-l', text);
const press = (...keys: string[]) => tmux('send-keys', '-t', session, ...keys);
/** The status line says a command runs: "⠋ load … 1.2 s · Ctrl-C cancels". */
const isBusy = (text: string) => /\d s · (Ctrl-C cancels|cancelling)/.test(text);
/** The prompt row as shown now (the last row starting with the prompt). */
const promptRow = (text: string) => text.split('\n').filter((line) => line.startsWith('gcsh>')).at(-1)?.trimEnd() ?? '';

test('the interactive shell in a real terminal: run, complete, recall, cancel, exit', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-tmux-'));
  const big = join(dir, 'chain.heapsnapshot');
  writeChainSnapshot(big, 2_000_000);
  const history = join(dir, 'history');
  const env = `CI=false NO_COLOR=1 FORCE_COLOR=0 GCSH_HISTORY=${history}`;
  const command = `cd ${root} && ${env} node bin/gcsh.js --no-index demo/node-leak-3.heapsnapshot.gz; echo GCSH-EXITED=$?; sleep 30`;
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', command);
  try {
    await waitFor((s) => s.includes("loaded 'node-leak-3'") && /^gcsh>/m.test(s), 'the start-up load and the prompt');

    // A typed command and its output, printed once.
    typeText('summary --limit 3');
    press('Enter');
    let text = await waitFor((s) => s.includes('more — `more` to continue'), 'summary output');
    assert.equal(text.split('\n').filter((line) => line.includes('more — `more` to continue')).length, 1);

    // Tab completes a type name after `summary `.
    typeText('summary RequestCon');
    await waitFor((s) => s.includes('679.0 kB retained'), 'type-name suggestions', 15_000, visible);
    press('Tab');
    await waitFor((s) => promptRow(s) === 'gcsh> summary RequestContext', 'the completed type name', 15_000, visible);
    press('Enter');
    text = await waitFor((s) => /RequestContext\s+1,200/.test(s), 'summary of the completed type');

    // Up recalls the last line; Ctrl-C clears it again.
    press('Up');
    await waitFor((s) => promptRow(s) === 'gcsh> summary RequestContext', 'recalled line', 15_000, visible);
    press('C-c');
    await waitFor((s) => promptRow(s) === 'gcsh>', 'cleared line', 15_000, visible);

    // Ctrl-C during a long command cancels it and the prompt comes back.
    typeText(`load ${big} as a; load ${big} as b; load ${big} as c`);
    press('Enter');
    await waitFor(isBusy, 'a running load', 15_000, visible);
    press('C-c');
    await waitFor((s) => /cancelled `load .* as [abc]`|cancelled the rest of the line/.test(s), 'the cancellation note');
    await waitFor((s) => !isBusy(s) && promptRow(s) === 'gcsh>', 'the idle prompt', 15_000, visible);
    typeText('snapshots');
    press('Enter');
    text = await waitFor((s) => /gcsh> snapshots\n\s+name\s+language[\s\S]*node-leak-3/.test(s), 'snapshots after the cancel');
    assert.ok(!/loaded 'c'/.test(text), 'the rest of the line did not run');

    // Ctrl-C twice on an empty line exits with status 0.
    press('C-c');
    await waitFor((s) => s.includes('press Ctrl-C again to exit'), 'the exit notice', 15_000, visible);
    press('C-c');
    text = await waitFor((s) => s.includes('GCSH-EXITED='), 'the shell to exit');
    assert.match(text, /GCSH-EXITED=0/);

    const recorded = readFileSync(history, 'utf8').trim().split('\n');
    assert.ok(recorded.includes('summary RequestContext'), `history file: ${recorded.join(' | ')}`);
  } finally {
    spawnSync('tmux', ['-L', session, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  }
});
