// Bench helper (not product code): one timed memlab load, run in its own process for an honest peak RSS.
// argv: <memlab folder> <snapshot file> [object id]. Prints `BENCH_RESULT {json}` as its last stdout line; with an
// object id it also reports memlab's view of that object (outside the timed call) for a cross-check with gcsh.
//
// getFullHeapFromFile(file) = loadProcessedSnapshot: HeapParser.parse (4 concurrent streaming reads that pull
// out nodes/edges/locations as typed arrays + JSON.parse of the rest, then new HeapSnapshot: node id index,
// edge/retainer indexes) followed by HeapAnalyzer.preparePathFinder: annotateShortestPaths (BFS from roots
// for every node), calculateAllNodesRetainedSizes (page-owned flags, dominators, retained sizes) and two
// React Fiber marking passes. The phase times below come from wrapping those functions; the total is the
// plain getFullHeapFromFile call.
'use strict';
const path = require('node:path');

const [memlabDir, file, objectIdArg] = process.argv.slice(2);
const fromMemlab = (id) => require(require.resolve(id, { paths: [memlabDir] }));

const heapAnalysis = fromMemlab('@memlab/heap-analysis');
const coreDir = path.dirname(require.resolve('@memlab/core/package.json', { paths: [memlabDir] }));
const HeapParser = require(path.join(coreDir, 'dist/lib/HeapParser.js')).default;
const StringLoader = require(path.join(coreDir, 'dist/lib/StringLoader.js')).default;
const Utils = require(path.join(coreDir, 'dist/lib/Utils.js')).default;
const TraceFinder = require(path.join(coreDir, 'dist/paths/TraceFinder.js')).default;
const Console = require(path.join(coreDir, 'dist/lib/Console.js')).default;

const phases = {};
const add = (name, ms) => (phases[name] = (phases[name] ?? 0) + ms);

/** Replace obj[key] by a wrapper that adds its (sync or async) duration to phases[name]. */
function timed(obj, key, name) {
  const original = obj[key];
  obj[key] = function (...args) {
    const t0 = performance.now();
    const out = original.apply(this, args);
    if (out && typeof out.then === 'function') return out.then((v) => (add(name, performance.now() - t0), v));
    add(name, performance.now() - t0);
    return out;
  };
}

// The four file reads run concurrently: record when the last one ends, measured from parse start.
let parseStart = 0;
let readsEnd = 0;
for (const key of ['readFileAndExtractTypedArray', 'readFileAndExcludeTypedArray']) {
  const original = StringLoader[key];
  StringLoader[key] = function (...args) {
    return original.apply(this, args).then((v) => ((readsEnd = performance.now()), v));
  };
}
const parse = HeapParser.parse;
HeapParser.parse = function (...args) {
  parseStart = performance.now();
  return parse.apply(this, args).then((v) => {
    const end = performance.now();
    phases['read + JSON (4 streaming reads)'] = readsEnd - parseStart;
    phases['graph build (JSON.parse rest, HeapSnapshot)'] = end - readsEnd;
    return v;
  });
};
timed(TraceFinder.prototype, 'annotateShortestPaths', 'shortest paths (BFS)');
timed(TraceFinder.prototype, 'calculateAllNodesRetainedSizes', 'dominators + retained sizes');
timed(Utils, 'markAllDetachedFiberNode', 'fiber marks');
timed(Utils, 'markAlternateFiberNode', 'fiber marks');

// memlab announces each step through Console.overwrite ("building reference index...", …): keep the messages
// with their times, so every logged step gets a duration (time until the next message or the end).
const messages = [];
const overwrite = Console.overwrite;
Console.overwrite = function (msg, ...rest) {
  const text = String(msg).replace(/\s*\.+\s*$/, '').replace(file, 'FILE').trim();
  if (text && (messages.length === 0 || messages[messages.length - 1].text !== text)) messages.push({ text, t: performance.now() });
  return overwrite.call(this, msg, ...rest);
};

(async () => {
  const t0 = performance.now();
  const heap = await heapAnalysis.getFullHeapFromFile(file);
  const end = performance.now();
  const elapsedMs = end - t0;
  const steps = messages.map((m, i) => ({ step: m.text, ms: (i + 1 < messages.length ? messages[i + 1].t : end) - m.t }));
  // Merge repeats of one step (e.g. "calculating dominators and retained sizes" logged with 1–3 dots).
  const merged = [];
  for (const st of steps) {
    const last = merged[merged.length - 1];
    if (last && last.step === st.step) last.ms += st.ms;
    else merged.push({ ...st });
  }
  let object = null;
  if (objectIdArg) {
    const n = heap.getNodeById(Number(objectIdArg));
    if (n) object = { id: n.id, name: n.name, selfSize: n.self_size, retainedSize: n.retainedSize, dominatorId: n.dominatorNode ? n.dominatorNode.id : null };
  }
  const usage = process.resourceUsage();
  const result = {
    elapsedMs,
    phases,
    steps: merged,
    object,
    nodeCount: heap.nodes.length,
    edgeCount: heap.edges.length,
    maxRssBytes: usage.maxRSS * 1024,
    heapUsedBytes: process.memoryUsage().heapUsed,
    node: process.version,
  };
  process.stdout.write('\nBENCH_RESULT ' + JSON.stringify(result) + '\n');
})().catch((e) => {
  process.stderr.write(`memlab load failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
