// The real binary in batch mode, as CI scripts use it: piped stdin, -e, --script, --json, exit codes (SPEC §2).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { jsonLines, runGcsh } from '../support/run-gcsh.js';
import { knownShapes, makeTempDir, writeSnapshotOf, type TempDir } from '../support/snapshots.js';

let dir: TempDir;
let snapshot: string;
const ansi = /\u001b\[/;

before(() => {
  dir = makeTempDir();
  snapshot = writeSnapshotOf(knownShapes, join(dir.path, 'app.heapsnapshot'));
});
after(() => dir.remove());

test('piped stdin runs one command per line and prints plain text without escape codes', () => {
  const run = runGcsh([snapshot], { input: 'summary --limit 3\n# a comment\n\nshow $1; retainers $1\n', env: { FORCE_COLOR: '1' } });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stdout, ansi);
  assert.match(run.stdout, /type\s+count\s+self size\s+retained size/);
  assert.match(run.stdout, /retainers of @\d+/);
  assert.match(run.stdout, /more — `more` to continue/);
  assert.match(run.stderr, /loaded 'app': V8 heap/);
});

test('--json prints one parseable record per command with the SPEC fields', () => {
  const run = runGcsh([snapshot, '--json', '-e', 'summary --limit 2; show $1; bogus; cycles --limit 1'], {});
  assert.equal(run.status, 1);
  const records = jsonLines(run.stdout);
  assert.deepEqual(records.map((r) => [r.command, r.ok]), [['summary', true], ['show', true], ['bogus', false]]);
  const row = records[0]!.rows[0];
  for (const field of ['id', 'ref', 'type', 'name', 'selfSize', 'retainedSize', 'count']) assert.ok(field in row, `summary row lacks ${field}`);
  assert.equal(records[1]!.object.ref, row.ref);
  assert.match(records[2]!.error, /unknown command 'bogus'/);
});

test('--keep-going runs past a failure and still exits 1', () => {
  const run = runGcsh([snapshot, '--json', '--keep-going', '-e', 'show @1; show @424242424; snapshots'], {});
  assert.equal(run.status, 1);
  assert.deepEqual(jsonLines(run.stdout).map((r) => r.ok), [true, false, true]);
});

test('a command file runs like typed commands; quit stops it', () => {
  const script = join(dir.path, 'checks.gcsh');
  writeFileSync(script, '# leak checks\nsnapshots\nhelp dominators ; quit\nshow @424242424\n');
  const run = runGcsh([snapshot, '--script', script], {});
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /dominators REF/);
});

test('usage errors exit 2: a bad option, a missing snapshot, a missing script', () => {
  assert.equal(runGcsh(['--frobnicate']).status, 2);
  const missing = runGcsh([join(dir.path, 'nope.heapsnapshot'), '-e', 'summary']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.heapsnapshot: cannot read: ENOENT/);
  assert.equal(runGcsh([snapshot, '--script', join(dir.path, 'nope.gcsh')]).status, 2);
});

test('a malformed snapshot named on the command line is one line with the byte offset, exit 2', () => {
  const broken = join(dir.path, 'broken.heapsnapshot');
  writeFileSync(broken, '{"snapshot":{"meta":{"node_fields":["type"');
  const run = runGcsh([broken, '-e', 'summary']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /broken\.heapsnapshot: at byte \d+: expected/);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
});

test('without snapshots, commands that need one say how to load one', () => {
  const run = runGcsh(['--json', '-e', 'summary']);
  assert.equal(run.status, 1);
  assert.match(jsonLines(run.stdout)[0]!.error, /no snapshot loaded — `load FILE` first/);
});

test('agent-path prints the Python agent and --version the version', () => {
  const path = runGcsh(['agent-path']);
  assert.equal(path.status, 0);
  assert.match(path.stdout.trim(), /src\/agent\/gcsh_agent\.py$/);
  assert.match(runGcsh(['--version']).stdout, /^gcsh \d+\.\d+\.\d+/);
});

test('every command\'s help names only commands that exist', async () => {
  const { commands, findCommand } = await import('../../src/commands/registry.js');
  for (const spec of commands) for (const other of spec.seeAlso ?? []) assert.ok(findCommand(other), `${spec.name} refers to unknown command ${other}`);
});
