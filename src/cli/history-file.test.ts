import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { escapeHistoryLine, HistoryFile, historyCompactAt, historyFilePath, historyLoadLimit, unescapeHistoryLine } from './history-file.js';

test('history lives in $GCSH_HISTORY, else the XDG state dir, else ~/.local/state', () => {
  assert.equal(historyFilePath({ GCSH_HISTORY: '/x/h' }, '/home/u', 'linux'), '/x/h');
  assert.equal(historyFilePath({ GCSH_HISTORY: '' }, '/home/u', 'linux'), null, 'set but empty turns history off');
  assert.equal(historyFilePath({ XDG_STATE_HOME: '/state' }, '/home/u', 'linux'), '/state/gcsh/history');
  assert.equal(historyFilePath({ XDG_STATE_HOME: 'relative/state' }, '/home/u', 'linux'), '/home/u/.local/state/gcsh/history', 'a relative XDG path is ignored');
  assert.equal(historyFilePath({}, '/home/u', 'linux'), '/home/u/.local/state/gcsh/history');
});

test('embedded newlines and backslashes survive a round trip', () => {
  for (const line of ['find "a\nb"', 'load C:\\dumps\\x.heapsnapshot', 'x\\ny']) assert.equal(unescapeHistoryLine(escapeHistoryLine(line)), line);
  assert.ok(!escapeHistoryLine('a\nb').includes('\n'));
});

test('recorded lines are appended at once to a private file that a new session reads back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-history-'));
  try {
    const path = join(dir, 'nested', 'history');
    const first = HistoryFile.open(path);
    assert.deepEqual(first.entries, []);
    first.record('summary');
    first.record('retainers $1');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const second = HistoryFile.open(path);
    second.record('cycles');
    assert.deepEqual(HistoryFile.open(path).entries, ['summary', 'retainers $1', 'cycles'], 'two sessions both keep their lines');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the file is bounded: past the limit it is rewritten with the newest entries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-history-'));
  try {
    const path = join(dir, 'history');
    writeFileSync(path, Array.from({ length: historyCompactAt }, (_, i) => `cmd ${i}`).join('\n') + '\n');
    const history = HistoryFile.open(path);
    assert.equal(history.entries.length, historyLoadLimit);
    history.record('newest');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    assert.equal(lines.length, historyLoadLimit);
    assert.equal(lines[lines.length - 1], 'newest');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable location switches history off instead of failing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-history-'));
  try {
    // A path below a regular file can never be created (ENOTDIR).
    writeFileSync(join(dir, 'file'), '');
    const history = HistoryFile.open(join(dir, 'file', 'gcsh', 'history'));
    history.record('summary');
    history.record('cycles');
    assert.deepEqual(history.entries, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
