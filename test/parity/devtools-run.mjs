// Parity tooling (test support): run Chrome DevTools' own heap snapshot worker code (the bundle made by
// build-devtools.mjs) on a .heapsnapshot(.gz) file exactly as DevTools' worker does — HeapSnapshotLoader fed the text
// in chunks, buildSnapshot() with a MessagePort to the secondary-init half (SecondaryInitManager) — and extract
// per-node columns and the Summary aggregates.
import { createReadStream } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';

/** DevTools targets Chrome, which has Promise.withResolvers; Node 20 does not. */
function polyfill() {
  if (typeof Promise.withResolvers !== 'function') {
    Promise.withResolvers = function withResolvers() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
  }
}

async function isGzip(path) {
  const stream = createReadStream(path, { start: 0, end: 1 });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const head = Buffer.concat(chunks);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Load `path` with DevTools' HeapSnapshotLoader and build a JSHeapSnapshot (its full initialize(): DOM state, flags,
 * shallow sizes, distances, essential edges, dominators and retained sizes in the secondary half, class names with
 * interface inference). `chunkChars` mimics the frontend's chunked transfer.
 */
export async function loadWithDevtools(bundlePath, path, { chunkChars = 1 << 20 } = {}) {
  polyfill();
  const devtools = await import(bundlePath);
  const { HeapSnapshotLoader } = devtools.HeapSnapshotLoader;
  const { SecondaryInitManager } = devtools.HeapSnapshot;
  // No dispatcher: progress events go nowhere, as in DevTools' own unit tests. The secondary half reports graph
  // problems (e.g. nodes with only weak retainers) through console.warn; keep them as data instead.
  const warnings = [];
  const warn = console.warn;
  console.warn = (...parts) => warnings.push(parts.join(' '));
  const loader = new HeapSnapshotLoader(undefined);
  let input = createReadStream(path, { highWaterMark: chunkChars });
  if (await isGzip(path)) input = input.pipe(createGunzip({ chunkSize: chunkChars }));
  input.setEncoding('utf8');
  for await (const chunk of input) loader.write(chunk);
  loader.close();
  const channel = new MessageChannel();
  // The secondary worker's half runs on the same thread here; the message protocol is unchanged.
  new SecondaryInitManager(channel.port2);
  let snapshot;
  try {
    snapshot = await loader.buildSnapshot(channel.port1);
  } finally {
    console.warn = warn;
    channel.port1.close();
    channel.port2.close();
  }
  return { snapshot, devtools, warnings };
}

/**
 * Per-node columns (by node ordinal, the file's node order) and Summary aggregates (aggregatesWithFilter with an
 * empty NodeFilter: DevTools' "All objects" Summary), all read through DevTools' own accessors.
 */
export function extractDevtoolsResults({ snapshot, devtools, warnings }) {
  const n = snapshot.nodeCount;
  const id = new Float64Array(n);
  const selfSize = new Float64Array(n);
  const retainedSize = new Float64Array(n);
  const distance = new Int32Array(n);
  const dominator = new Uint32Array(n);
  const classIndex = new Uint32Array(n);
  // calculateFlags' bits: canBeQueried 1, detachedDOMTreeNode 2, pageObject 4 (the same bits as gcsh's NodeFlag).
  const flags = Uint8Array.from(snapshot.flags ?? new Uint8Array(n));
  const detachedness = new Uint8Array(n);
  const node = snapshot.createNode(0);
  for (let i = 0; i < n; i++) {
    node.nodeIndex = i * snapshot.nodeFieldCount;
    id[i] = node.id();
    selfSize[i] = node.selfSize();
    retainedSize[i] = node.retainedSize();
    distance[i] = node.distance();
    dominator[i] = snapshot.dominatorsTree[i];
    classIndex[i] = node.classIndex();
    detachedness[i] = node.detachedness();
  }
  const raw = snapshot.aggregatesWithFilter(new devtools.HeapSnapshotModel.NodeFilter());
  const aggregates = Object.entries(raw).map(([key, a]) => ({
    key,
    name: a.name,
    count: a.count,
    self: a.self,
    maxRet: a.maxRet,
    distance: a.distance,
  }));
  return {
    snapshot,
    warnings,
    nodeCount: n,
    rootOrdinal: snapshot.rootNodeIndexInternal / snapshot.nodeFieldCount,
    totalSize: snapshot.totalSize ?? snapshot.getStatistics?.().total,
    strings: snapshot.strings,
    id,
    selfSize,
    retainedSize,
    distance,
    dominator,
    classIndex,
    detachedness,
    flags,
    aggregates,
  };
}

/** Both steps, timed. The result keeps `snapshot` (DevTools' JSHeapSnapshot) for further queries. */
export async function runDevtools(bundlePath, path, options = {}) {
  const started = performance.now();
  const loaded = await loadWithDevtools(bundlePath, path, options);
  const results = extractDevtoolsResults(loaded);
  return { ...results, elapsedMs: performance.now() - started };
}

