import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BadInputError, GcshError } from '../../base/errors.js';
import type { GraphStore } from '../../store/graph-store.js';
import { tinySnapshotJson } from '../../../test/fixtures/v8/tiny-snapshot.js';
import { readHeapSnapshot, readHeapSnapshotFromChunks } from './read-heapsnapshot.js';

let dir = '';
let real = new Uint8Array(0);
const encoder = new TextEncoder();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gcsh-v8-errors-'));
  const path = join(dir, 'real.heapsnapshot');
  const child = spawnSync(process.execPath, ['-e', `require('v8').writeHeapSnapshot(${JSON.stringify(path)})`], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  real = new Uint8Array(readFileSync(path)); // a copy: Buffer#slice would alias, Uint8Array#slice copies
});

after(() => rmSync(dir, { recursive: true, force: true }));

function readBytes(bytes: Uint8Array, chunkBytes = 1 << 16): Promise<GraphStore> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
  }
  return readHeapSnapshotFromChunks(chunks(), { path: 'x.heapsnapshot', format: 'heapsnapshot', byteSize: bytes.length, mtimeMs: 0 });
}

async function badInput(bytes: Uint8Array | string, chunkBytes?: number): Promise<BadInputError> {
  const input = typeof bytes === 'string' ? encoder.encode(bytes) : bytes;
  try {
    await readBytes(input, chunkBytes);
  } catch (error) {
    if (error instanceof BadInputError) {
      assert.match(error.message, /^x\.heapsnapshot: at byte \d+: expected .+/);
      assert.ok(!error.message.includes('\n'), 'one line');
      return error;
    }
    throw error;
  }
  assert.fail('expected BadInputError');
}

/** Offset of the first occurrence of `text` in a tiny fixture. */
function at(text: string, needle: string): number {
  const found = text.indexOf(needle);
  assert.ok(found >= 0, needle);
  return found;
}

test('a real snapshot truncated anywhere fails at its end offset', async () => {
  const offsets = new Set<number>();
  for (let cut = 0; cut < real.length; cut += Math.ceil(real.length / 40)) offsets.add(cut);
  // Dense cuts through the header and the first numbers; the tiny fixture below covers every byte of strings.
  for (let k = 0; k < 300; k += 7) offsets.add(k);
  const nodesAt = Buffer.from(real.buffer, real.byteOffset, 1 << 16).indexOf('"nodes"');
  for (let k = 0; k < 100; k++) offsets.add(nodesAt + k);
  const stringsAt = Buffer.from(real.buffer, real.byteOffset, real.length).indexOf('"strings"');
  for (let k = 0; k < 200; k += 11) offsets.add(stringsAt + k);
  offsets.add(real.length - 1);
  for (const cut of offsets) {
    const error = await badInput(real.subarray(0, cut), 4093);
    assert.equal(error.byteOffset, cut, `cut at ${cut}: ${error.message}`);
    assert.match(error.message, /found end of file$/);
  }
});

test('a snapshot truncated at every byte, including inside escapes, fails at its end offset', async () => {
  const text = encoder.encode(tinySnapshotJson({ extraSections: { scopes: '[{"a":"\\u00e9\\"x"},[true,null]]' } }));
  await readBytes(text);
  for (let cut = 0; cut < text.length; cut++) {
    for (const chunkBytes of cut % 4 === 0 ? [1, 1 << 16] : [7]) {
      const error = await badInput(text.subarray(0, cut), chunkBytes);
      assert.equal(error.byteOffset, cut, `cut at ${cut}: ${error.message}`);
    }
  }
});

test('corrupt bytes anywhere give BadInputError or a store, never another exception', async () => {
  const step = Math.ceil(real.length / 50);
  for (let position = 1; position < real.length; position += step) {
    for (const garbage of position % 2 === 0 ? [0x23, 0x5d] : [0x00, 0x7b]) {
      const copy = real.slice();
      copy[position] = garbage;
      try {
        await readBytes(copy);
      } catch (error) {
        assert.ok(error instanceof BadInputError, `byte ${position}=${garbage}: ${String(error)}`);
        assert.ok(error.byteOffset <= real.length);
      }
    }
  }
});

test('rejects a to_node that is not a multiple of the node field count, naming its offset', async () => {
  const text = tinySnapshotJson().replace('"edges":[1,0,7,', '"edges":[1,0,8,');
  const error = await badInput(text);
  assert.equal(error.byteOffset, at(text, '"edges":[1,0,8') + 13);
  assert.match(error.message, /"to_node" that is a multiple of 7 \(the node field count\), found 8$/);
});

test('rejects a to_node beyond the last node, also when edges come before nodes', async () => {
  const text = tinySnapshotJson().replace('"edges":[1,0,7,', '"edges":[1,0,21,');
  assert.match((await badInput(text)).message, /"to_node" below 21/);
  const reordered = tinySnapshotJson({ order: ['snapshot', 'edges', 'nodes', 'strings'] }).replace('"edges":[1,0,7,', '"edges":[1,0,21,');
  assert.match((await badInput(reordered)).message, /every "to_node" below 21, found edge 0 to_node 21$/);
});

test('rejects edge totals that disagree with the nodes edge_count', async () => {
  const text = tinySnapshotJson().replace(/,4,1,7\]/, ']');
  assert.match((await badInput(text)).message, /"edges" to hold 4 edges .*found 3 edges$/);
});

test('rejects a nodes array whose length is not a multiple of the field count', async () => {
  const text = tinySnapshotJson().replace('"nodes":[', '"nodes":[1,');
  assert.match((await badInput(text)).message, /"nodes" array length to be a multiple of 7/);
});

test('rejects string indexes beyond the strings array', async () => {
  const nodeName = tinySnapshotJson().replace('"nodes":[9,1,1,', '"nodes":[9,99,1,');
  assert.match((await badInput(nodeName)).message, /node names below 7 .*found node 0 name 99$/);
  const edgeName = tinySnapshotJson().replace(',2,4,14,', ',2,40,14,');
  assert.match((await badInput(edgeName)).message, /edge names below 7 .*found edge 1 name 40$/);
});

test('rejects missing, duplicated and malformed sections', async () => {
  const noStrings = tinySnapshotJson({ order: ['snapshot', 'nodes', 'edges'] });
  assert.match((await badInput(noStrings)).message, /expected a "strings" section, found '}'$/);
  const twice = tinySnapshotJson({ order: ['snapshot', 'nodes', 'edges', 'strings'] }).replace(/}$/, ',"nodes":[]}');
  assert.match((await badInput(twice)).message, /a single "nodes" section/);
  const notArray = tinySnapshotJson().replace('"nodes":[', '"nodes":{');
  assert.match((await badInput(notArray)).message, /expected '\[' starting the "nodes" array, found '\{'$/);
  const badMeta = tinySnapshotJson().replace('"self_size"', '"selfsize"');
  assert.match((await badInput(badMeta)).message, /at byte 12: expected snapshot.meta.node_fields to list "self_size"$/);
  const badEscape = tinySnapshotJson().replace('"Leaky"', '"Le\\qky"');
  assert.match((await badInput(badEscape)).message, /a valid escape after a backslash$/);
  const trailing = `${tinySnapshotJson()} x`;
  assert.match((await badInput(trailing)).message, /the end of the file after the top-level object, found 'x'$/);
  const badType = tinySnapshotJson().replace('"nodes":[9,', '"nodes":[99,');
  assert.match((await badInput(badType)).message, /a node type below 15, found 99$/);
});

test('a header claiming absurd counts does not allocate them', async () => {
  const text = tinySnapshotJson().replace('"node_count":3,"edge_count":4', '"node_count":4000000000000,"edge_count":9000000000000');
  assert.ok(text.includes('4000000000000'));
  const store = await readBytes(encoder.encode(text));
  assert.equal(store.nodeCount, 3);
  assert.equal(store.edgeCount, 4);
});

test('an empty file is bad input at byte 0', async () => {
  const error = await badInput('');
  assert.equal(error.byteOffset, 0);
  assert.match(error.message, /expected a JSON object \('\{'\), found end of file$/);
});

test('files that are not heap snapshots are an unsupported format', async () => {
  for (const text of ['hello world\n', '\x89PYHEAP\n....', '[1,2,3]', '{"name":"gcsh","version":"0.1.0"}', '{"name":"gcsh"} trailing']) {
    await assert.rejects(readBytes(encoder.encode(text)), (error: unknown) => error instanceof GcshError && error.code === 'unsupported-format', text);
  }
});

test('corrupt or truncated gzip is bad input at an offset of the decompressed data', async () => {
  const compressed = gzipSync(real);
  const truncatedPath = join(dir, 'truncated.heapsnapshot.gz');
  writeFileSync(truncatedPath, compressed.subarray(0, compressed.length >> 1));
  await assert.rejects(readHeapSnapshot(truncatedPath), (error: unknown) => {
    assert.ok(error instanceof BadInputError, String(error));
    assert.match(error.message, /truncated\.heapsnapshot\.gz \(decompressed\): at byte \d+: expected/);
    return true;
  });
  const corrupt = Buffer.from(compressed);
  for (let k = 100; k < 400; k++) corrupt[k] = k & 0xff;
  const corruptPath = join(dir, 'corrupt.heapsnapshot.gz');
  writeFileSync(corruptPath, corrupt);
  await assert.rejects(readHeapSnapshot(corruptPath), (error: unknown) => error instanceof BadInputError && /gzip|expected/.test(error.message));
});

test('a missing file is unreadable, not bad input', async () => {
  await assert.rejects(readHeapSnapshot(join(dir, 'nope.heapsnapshot')), (error: unknown) => error instanceof GcshError && error.code === 'unreadable-file');
});
