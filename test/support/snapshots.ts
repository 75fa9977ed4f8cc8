// Test support: real V8 heap snapshots written by child `node` processes with v8.writeHeapSnapshot(), over a program
// that builds known object shapes. Each returns the file path; callers delete the temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function makeTempDir(prefix = 'gcsh-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Run `program` (JavaScript, ES module syntax not required) in a fresh Node process, then write a heap snapshot to
 * `file`. The program should keep what it builds reachable from `globalThis`.
 */
export function writeSnapshotOf(program: string, file: string): string {
  const script = `${program}\n;require('v8').writeHeapSnapshot(${JSON.stringify(file)});`;
  execFileSync(process.execPath, ['--expose-gc', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  return file;
}

/** Shapes whose dominators, retainers and cycles the tests know. */
export const knownShapes = `
class ChainLink { constructor(next) { this.next = next; this.payload = new Array(100).fill(1); } }
class DiamondTop { constructor() { const shared = new DiamondShared(); this.left = new DiamondSide(shared); this.right = new DiamondSide(shared); } }
class DiamondSide { constructor(shared) { this.shared = shared; } }
class DiamondShared { constructor() { this.data = new Array(500).fill(2); } }
class CycleNode { constructor(name) { this.name = name; this.peer = null; } }
class SelfRef { constructor() { this.me = this; this.blob = new Array(50).fill(3); } }
class WeakKey { }
class WeakValue { constructor() { this.big = new Array(300).fill(4); } }
class ClosureHolder { }
class DetachedThing { constructor() { this.stuff = new Array(70).fill(5); } }

let chain = null;
for (let i = 0; i < 3; i++) chain = new ChainLink(chain);
globalThis.gcshChain = chain;
globalThis.gcshDiamond = new DiamondTop();
const a = new CycleNode('a'), b = new CycleNode('b'), c = new CycleNode('c');
a.peer = b; b.peer = c; c.peer = a;
globalThis.gcshCycle = a;
globalThis.gcshSelf = new SelfRef();
const weakKey = new WeakKey();
globalThis.gcshWeakMap = new WeakMap([[weakKey, new WeakValue()]]);
globalThis.gcshWeakKeyHolder = { weakKey };
function makeCounter() { let captured = new ClosureHolder(); return function counter() { return captured; }; }
globalThis.gcshClosure = makeCounter();
`;
