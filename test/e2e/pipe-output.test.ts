// Output written to a pipe must all arrive before gcsh exits (process.exit() drops queued pipe writes).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gcshBin } from '../support/run-gcsh.js';

test('every JSON line of a long batch reaches a slow pipe reader', async () => {
  const snapshot = fileURLToPath(new URL('../../demo/node-leak-1.heapsnapshot.gz', import.meta.url));
  const commands = Array.from({ length: 2000 }, () => 'show @1').join('; ');
  const child = spawn(process.execPath, [gcshBin, snapshot, '--no-index', '--json', '-e', commands], { stdio: ['ignore', 'pipe', 'ignore'] });
  let lines = 0;
  child.stdout.pause();
  // Read slowly so the pipe fills and writes queue up inside the gcsh process.
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  child.stdout.resume();
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.equal(lines, 2000);
});
