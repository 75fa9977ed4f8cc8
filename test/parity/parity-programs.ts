// Parity tooling (test support): programs whose heaps the DevTools parity comparison snapshots. Each keeps what it
// builds reachable from globalThis; test/support/snapshots.ts writeSnapshotOf runs them in a child `node`.
import { execFileSync } from 'node:child_process';
import { knownShapes } from '../support/snapshots.js';

export { knownShapes };

/**
 * Weak collections, closures and keyed collections, including the ephemeron cases DevTools special-cases in
 * distances and essential edges: a WeakMap value reachable only through key+table, a key kept alive only by another
 * value, an unreachable table, WeakRefs and FinalizationRegistry cells; plus nested closure contexts, Maps/Sets of
 * objects, typed arrays, string kinds, two classes with the same name in different places (DevTools keys Summary rows
 * by constructor location), a second native context (vm), and runtime objects (wasm, Buffers, zlib, crypto, Intl,
 * timers, a loopback server).
 */
export const weakAndClosures = `
const vm = require('vm');
class WKey { constructor(n) { this.n = n; } }
class WVal { constructor(n) { this.n = n; this.payload = new Array(40).fill(n); } }
class Chain { constructor(next) { this.next = next; } }
const weakMap = new WeakMap();
const keys = [];
for (let i = 0; i < 50; i++) { const k = new WKey(i); keys.push(k); weakMap.set(k, new WVal(i)); }
// A key that is only reachable through another entry's value: the ephemeron chain.
const k1 = new WKey('k1'); const k2 = new WKey('k2');
const v1 = new WVal('v1'); v1.nextKey = k2;
weakMap.set(k1, v1); weakMap.set(k2, new WVal('v2'));
globalThis.parityWeak = { weakMap, keys, k1 };
// A table nobody holds: its entries are garbage at the next GC but present in this snapshot when not collected.
{ const lost = new WeakMap(); const kk = new WKey('lost'); lost.set(kk, new WVal('lost')); globalThis.parityLostKey = kk; }
const weakSet = new WeakSet(keys.slice(0, 10));
const refs = keys.slice(10, 20).map((k) => new WeakRef(k));
const registry = new FinalizationRegistry(() => {});
for (const k of keys.slice(20, 30)) registry.register(k, 'held ' + k.n, k);
globalThis.parityWeakness = { weakSet, refs, registry, dangling: new WeakRef(new WVal('gone')) };
function outer(a) { const big = new Array(200).fill(a); return function middle(b) { const mid = { b, big }; return function inner() { return mid; }; }; }
globalThis.parityClosures = [outer(1)(2), outer(3)(4), outer(5)];
const map = new Map(); const set = new Set();
for (let i = 0; i < 100; i++) { const o = { id: i, label: 'item-' + i, chain: new Chain(new Chain(null)) }; map.set('k' + i, o); set.add(o); }
map.set({ objectKey: true }, [1, 2, 3]);
globalThis.parityCollections = { map, set, nested: new Map([[new Map([[1, new Set([new Chain(null)])]]), 'x']]) };
globalThis.parityBuffers = { u8: new Uint8Array(4096), f64: new Float64Array(1000), shared: new SharedArrayBuffer(1024), view: new DataView(new ArrayBuffer(64)) };
const base = 'x'.repeat(100);
globalThis.parityStrings = { cons: base + 'y'.repeat(50), sliced: base.repeat(3).slice(5, 250), numbers: [1.5, 2 ** 40, -0, NaN], big: 2n ** 100n, sym: Symbol('parity') };
globalThis.paritySameName = [(() => { class Item { constructor() { this.a = 1; } } return [new Item(), new Item()]; })(),
  (() => { class Item { constructor() { this.b = 2; } } return [new Item(), new Item(), new Item()]; })()];
globalThis.parityMisc = { promise: Promise.resolve(new Chain(null)), pending: new Promise(() => {}), date: new Date(0), re: /pa(r)ity/g,
  error: new Error('parity'), gen: (function* g() { yield new Chain(null); })(), proxy: new Proxy({ t: 1 }, {}), bound: outer.bind(null, 9),
  shapes: Array.from({ length: 30 }, (_, i) => (i % 2 ? { alpha: i, beta: i } : { gamma: i, delta: i, epsilon: i })) };
globalThis.paritySecondContext = vm.createContext({ held: new Chain(new Chain(null)) });
vm.runInContext('globalThis.inside = [new Array(50).fill(7), { deep: { deeper: {} } }]', globalThis.paritySecondContext);
// Runtime objects: a wasm instance, memory and table ("wasm object" nodes), Buffers, an external string, zlib and
// crypto handles, Intl, timers, a listening loopback server; http.Server and net.Server share the name "Server".
const wasm = new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,4,4,1,112,0,1,5,3,1,0,1,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]);
const server = require('http').createServer((req, res) => res.end('ok')).listen(0, '127.0.0.1');
globalThis.parityRuntime = {
  wasm: new WebAssembly.Instance(new WebAssembly.Module(wasm), {}), memory: new WebAssembly.Memory({ initial: 1 }),
  buffers: [Buffer.alloc(10000), Buffer.from('hello'.repeat(1000)), Buffer.allocUnsafeSlow(5000)],
  external: require('fs').readFileSync(process.execPath, { encoding: 'latin1', flag: 'r' }).slice(0, 4096),
  gzip: require('zlib').createGzip(), hash: require('crypto').createHash('sha256'),
  intl: [new Intl.NumberFormat('en'), new Intl.DateTimeFormat('en'), new Intl.Collator('en')],
  timers: [setInterval(() => {}, 1e6), setTimeout(() => {}, 1e6)], url: new URL('http://127.0.0.1/a?b=c'),
  server, netServer: require('net').createServer(), abort: new AbortController(),
};
// The server and timers would keep the process alive after the snapshot is written.
setImmediate(() => process.exit(0));
`;

/**
 * A medium heap: `count` objects of a few shapes in arrays, maps and a linked list (a few hundred thousand objects
 * give a 50–100 MB snapshot).
 */
export function mediumHeap(count: number): string {
  return `
class Order { constructor(i, customer) { this.id = i; this.customer = customer; this.lines = [{ sku: 'sku-' + (i % 997), qty: i % 7 }]; this.note = i % 5 ? null : 'note ' + i; } }
class Customer { constructor(i) { this.id = i; this.name = 'customer ' + i; this.orders = []; } }
const customers = Array.from({ length: ${Math.max(1, Math.floor(count / 20))} }, (_, i) => new Customer(i));
const orders = [];
const byId = new Map();
let list = null;
for (let i = 0; i < ${count}; i++) {
  const c = customers[i % customers.length];
  const o = new Order(i, c);
  c.orders.push(o);
  orders.push(o);
  if (i % 3 === 0) byId.set(i, o);
  if (i % 10 === 0) list = { o, next: list };
}
const cache = new WeakMap(); for (let i = 0; i < orders.length; i += 4) cache.set(orders[i], { cached: i });
globalThis.parityMedium = { customers, orders, byId, list, cache, closures: customers.slice(0, 1000).map((c) => () => c) };
`;
}

/**
 * The writer's other variants: allocation tracking (`--track-heap-objects`: trace_function_infos, trace_tree and
 * per-node trace ids) and writeHeapSnapshot's exposeInternals / exposeNumericValues options (internal edges, heap
 * number nodes).
 */
export function writeVariantSnapshotOf(program: string, file: string): string {
  const options = JSON.stringify({ exposeInternals: true, exposeNumericValues: true });
  const script = `${program}\n;require('v8').writeHeapSnapshot(${JSON.stringify(file)}, ${options});`;
  execFileSync(process.execPath, ['--track-heap-objects', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  return file;
}
