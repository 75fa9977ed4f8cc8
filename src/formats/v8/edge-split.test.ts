import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForwardColumns } from '../../store/assemble.js';
import { EdgeSplit, EdgeSplitRestart, parseEdgesTail, type EdgeSplitJob } from './edge-split.js';
import { readHeapSnapshotColumns } from './read-heapsnapshot.js';
import { HeapSnapshotParser } from './snapshot-parser.js';

/** A valid snapshot of `nodeCount` nodes with pseudo-random edges; `declaredEdges` overrides the header count. */
function snapshotText(nodeCount: number, options: { declaredEdges?: number; tail?: string; whitespace?: boolean; badLastName?: boolean } = {}): string {
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const nodes: number[] = [];
  const edges: string[] = [];
  let edgeCount = 0;
  for (let i = 0; i < nodeCount; i++) {
    const count = i === 0 ? Math.min(nodeCount - 1, 5) : random(6);
    nodes.push(i === 0 ? 9 : 3, 1 + random(3), 1 + 2 * i, random(100_000), count, 0);
    for (let k = 0; k < count; k++) {
      const target = i === 0 ? k + 1 : random(nodeCount);
      const kind = [1, 2, 4][random(3)]!; // element, property (named by a string index), hidden
      const name = kind === 2 ? random(4) : random(10_000_000);
      edges.push(`${kind}${options.whitespace && k % 3 === 0 ? ' \n' : ''},${name},${target * 6}`);
      edgeCount++;
    }
  }
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'],
    node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'], 'string', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
  };
  // A property edge named by string 99 of 4: only the cross-section string check can reject it.
  if (options.badLastName) edges[edges.length - 1] = edges[edges.length - 1]!.replace(/^\d+,\d+,/, '2,99,');
  const header = { meta, node_count: nodeCount, edge_count: options.declaredEdges ?? edgeCount };
  return `{"snapshot":${JSON.stringify(header)},\n"nodes":[${nodes.join(',')}],\n"edges":[${edges.join(',')}${options.tail ?? ''}],\n"strings":["","a","b","c"]}`;
}

/** A split whose helper runs synchronously at `begin` (as if it had finished before the parser got far). */
function inlineSplit(bytes: Uint8Array, path = 'inline', blockBytes = 97): { split: EdgeSplit; jobs: EdgeSplitJob[] } {
  const jobs: EdgeSplitJob[] = [];
  const readAt = (buffer: Uint8Array, length: number, position: number): number => {
    const part = bytes.subarray(position, position + length);
    buffer.set(part);
    return part.length;
  };
  const split = new EdgeSplit(path, (job) => {
    jobs.push(job);
    parseEdgesTail(job, readAt);
  }, 64, blockBytes, 1);
  return { split, jobs };
}

function parse(text: string, chunkBytes: number, split?: EdgeSplit): ReturnType<HeapSnapshotParser['finish']> {
  const bytes = new TextEncoder().encode(text);
  const parser = new HeapSnapshotParser('test.heapsnapshot', bytes.length, { shared: true, ...(split ? { edgeSplit: split } : {}) });
  for (let at = 0; at < bytes.length; at += chunkBytes) parser.feed(bytes.subarray(at, at + chunkBytes));
  return parser.finish();
}

function assertSameEdges(a: ReturnType<typeof parse>, b: ReturnType<typeof parse>): void {
  assert.equal(a.edges.edgeCount, b.edges.edgeCount);
  assert.deepEqual([...a.edges.edgeKind], [...b.edges.edgeKind]);
  assert.deepEqual([...a.edges.edgeName], [...b.edges.edgeName]);
  assert.deepEqual([...a.edges.edgeTarget], [...b.edges.edgeTarget]);
  assert.deepEqual([...a.nodes.firstOutEdge], [...b.nodes.firstOutEdge]);
}

test('edges parsed from both ends equal edges parsed front to back, for any chunk and block size', () => {
  for (const whitespace of [false, true]) {
    const text = snapshotText(400, { whitespace });
    const plain = parse(text, 1 << 20);
    for (const [chunkBytes, blockBytes] of [[1 << 20, 97], [333, 97], [4096, 1000], [50, 31]] as const) {
      const bytes = new TextEncoder().encode(text);
      const { split, jobs } = inlineSplit(bytes, 'inline', blockBytes);
      const both = parse(text, chunkBytes, split);
      assert.equal(jobs.length, 1);
      assert.ok(split.frontierRow >= 0 && split.frontierRow < plain.edges.edgeCount, `the helper parsed some of the edges (from row ${split.frontierRow})`);
      assert.ok(split.adopted, 'the parser took the helper rows');
      assertSameEdges(both, plain);
    }
  }
});

test('a header that announces too few or too many edges makes the split restart rather than trust its rows', () => {
  const real = snapshotText(300);
  const edgeCount = parse(real, 1 << 20).edges.edgeCount;
  for (const declared of [edgeCount - 7, edgeCount + 7]) {
    const text = snapshotText(300, { declaredEdges: declared });
    const bytes = new TextEncoder().encode(text);
    assert.throws(() => parse(text, 211, inlineSplit(bytes).split), EdgeSplitRestart);
  }
});

test('the reader restarts on one thread after an untrusted split and reads what a plain read reads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-edge-split-'));
  try {
    const path = join(dir, 'wrong-count.heapsnapshot');
    const real = snapshotText(300);
    const edgeCount = parse(real, 1 << 20).edges.edgeCount;
    writeFileSync(path, snapshotText(300, { declaredEdges: edgeCount - 3 }));
    const bytes = readFileSync(path);
    const plain: ForwardColumns = await readHeapSnapshotColumns(path, { shared: true });
    const split: ForwardColumns = await readHeapSnapshotColumns(path, { shared: true, edgeSplit: inlineSplit(bytes, path).split });
    assert.deepEqual([...split.edgeTarget], [...plain.edgeTarget]);
    assert.deepEqual([...split.edgeName], [...plain.edgeName]);
    assert.equal(split.edgeTarget.length, edgeCount);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad bytes in the tail give the same error as a plain read', () => {
  for (const tail of [',x', ',1,,2', ',99999999999999999999', ',7,0,0']) {
    const text = snapshotText(300, { tail });
    const bytes = new TextEncoder().encode(text);
    const plainError = (() => {
      try {
        parse(text, 1 << 20);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    })();
    assert.ok(plainError !== null, `plain read rejects tail ${tail}`);
    assert.throws(() => parse(text, 173, inlineSplit(bytes).split), (error: Error) => error instanceof EdgeSplitRestart || error.message === plainError);
  }
});

test('a string index out of range among the helper rows is still reported, with the plain read message', () => {
  const text = snapshotText(300, { badLastName: true });
  const bytes = new TextEncoder().encode(text);
  const messageOf = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };
  const plain = messageOf(() => parse(text, 1 << 20));
  assert.match(plain, /edge names below 4/);
  const { split } = inlineSplit(bytes);
  assert.equal(messageOf(() => parse(text, 211, split)), plain);
  assert.ok(split.adopted, 'the bad row came from the helper');
});

test('a helper started at the header that found a decoy "edges" key is stopped, and the parser reads alone', () => {
  const real = snapshotText(300);
  // An unknown section before the nodes holds the same key: the helper's search finds it first.
  const text = real.replace('\n"nodes":', '\n"decoy":{"edges":[5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22]},\n"nodes":');
  const bytes = new TextEncoder().encode(text);
  const { split, jobs } = inlineSplit(bytes);
  const both = parse(text, 97, split);
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!.start, -1, 'started at the header');
  assert.equal(split.adopted, false);
  assertSameEdges(both, parse(real, 1 << 20));
});

test('with the nodes before the header the helper starts at the edges array instead', () => {
  const real = snapshotText(300);
  const header = real.slice(0, real.indexOf(',\n"nodes":'));
  const nodes = real.slice(real.indexOf('"nodes":'), real.indexOf(',\n"edges":'));
  const rest = real.slice(real.indexOf('\n"edges":'));
  const text = `{${nodes},\n${header.slice(1)},${rest}`;
  const bytes = new TextEncoder().encode(text);
  const { split, jobs } = inlineSplit(bytes);
  const both = parse(text, 333, split);
  assert.equal(jobs.length, 1);
  assert.ok(jobs[0]!.start > 0, 'started at the array');
  assert.ok(split.adopted);
  assertSameEdges(both, parse(real, 1 << 20));
});
