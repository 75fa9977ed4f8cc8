// Parity tooling (test support): compare gcsh's analyses with Chrome DevTools' own worker code on one snapshot.
// Three levels: every node (gcsh's analyses as a library vs DevTools' columns), every Summary class (gcsh's
// aggregateByClass and the `summary` command vs DevTools' aggregatesWithFilter), and a node sample with dominator
// chains through the real CLI (`show @ID`, `dominators @ID`), cold and answered from gcsh's index file.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDevtools } from './devtools-run.mjs';

const gcshBin = fileURLToPath(new URL('../../bin/gcsh.js', import.meta.url));

/** Deterministic PRNG (mulberry32) so a sample is the same on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Mismatches {
  constructor(limit = 5) {
    this.limit = limit;
    this.counts = {};
    this.examples = {};
  }
  add(kind, example) {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    const list = (this.examples[kind] ??= []);
    if (list.length < this.limit) list.push(example);
  }
  get total() {
    return Object.values(this.counts).reduce((s, n) => s + n, 0);
  }
}

/**
 * DevTools keys Summary rows by class name plus constructor location (classKeyInternal: "script,line,col,Name" for
 * object nodes with a location), gcsh by class name alone. To compare like with like, this recomputes DevTools'
 * calculateClassesRetainedSize keyed by name over DevTools' own dominator tree (dominatedNodes) and columns.
 */
function devtoolsAggregatesByName(snapshot, dev) {
  const byName = new Map();
  const n = dev.nodeCount;
  for (let i = 0; i < n; i++) {
    const self = dev.selfSize[i];
    if (self === 0) continue;
    const name = dev.strings[dev.classIndex[i]];
    let row = byName.get(name);
    if (!row) byName.set(name, (row = { name, count: 0, self: 0, maxRet: 0, distance: 0x7fffffff }));
    row.count++;
    row.self += self;
    if (dev.distance[i] < row.distance) row.distance = dev.distance[i];
  }
  const { firstDominatedNodeIndex, dominatedNodes, nodeFieldCount } = snapshot;
  const open = new Set();
  const list = [dev.rootOrdinal];
  const sizes = [-1];
  const names = [];
  while (list.length) {
    const node = list.pop();
    const name = dev.strings[dev.classIndex[node]];
    const from = firstDominatedNodeIndex[node];
    const to = firstDominatedNodeIndex[node + 1];
    if (!open.has(name) && dev.selfSize[node] !== 0) {
      byName.get(name).maxRet += dev.retainedSize[node];
      if (from !== to) {
        open.add(name);
        sizes.push(list.length);
        names.push(name);
      }
    }
    for (let k = from; k < to; k++) list.push(dominatedNodes[k] / nodeFieldCount);
    while (sizes[sizes.length - 1] === list.length) {
      sizes.pop();
      open.delete(names.pop());
    }
  }
  return byName;
}

function compareNodes(dev, store, derived, domState, mismatches) {
  const n = dev.nodeCount;
  if (store.nodeCount !== n) {
    mismatches.add('nodeCount', { devtools: n, gcsh: store.nodeCount });
    return;
  }
  const names = derived.classNames;
  for (let i = 0; i < n; i++) {
    const id = dev.id[i];
    if (store.nodeId[i] !== id) {
      mismatches.add('node order', { ordinal: i, devtools: id, gcsh: store.nodeId[i] });
      continue;
    }
    if (store.selfSize[i] !== dev.selfSize[i]) mismatches.add('node selfSize', { id, devtools: dev.selfSize[i], gcsh: store.selfSize[i] });
    if (derived.retainedSize[i] !== dev.retainedSize[i]) {
      mismatches.add('node retainedSize', { id, devtools: dev.retainedSize[i], gcsh: derived.retainedSize[i] });
    }
    if (derived.distance[i] !== dev.distance[i]) mismatches.add('node distance', { id, devtools: dev.distance[i], gcsh: derived.distance[i] });
    if (derived.dominator[i] !== dev.dominator[i]) {
      mismatches.add('node dominator', { id, devtools: dev.id[dev.dominator[i]], gcsh: store.nodeId[derived.dominator[i]] });
    }
    const flags = derived.nodeFlags[i] & 7;
    if (flags !== dev.flags[i]) mismatches.add('node flags', { id, devtools: dev.flags[i], gcsh: flags });
    if (domState && domState[i] !== dev.detachedness[i]) {
      mismatches.add('node detachedness', { id, devtools: dev.detachedness[i], gcsh: domState[i] });
    }
    const devName = dev.strings[dev.classIndex[i]];
    if (names[derived.classOf[i]] !== devName) mismatches.add('node class', { id, devtools: devName, gcsh: names[derived.classOf[i]] });
  }
  if (derived.totalSize !== dev.totalSize) mismatches.add('totalSize', { devtools: dev.totalSize, gcsh: derived.totalSize });
}

function compareClassRows(label, expected, rows, mismatches) {
  // rows: Map name → {count, self, retained}
  for (const [name, want] of expected) {
    const got = rows.get(name);
    if (!got) {
      mismatches.add(`${label} class missing`, { class: name, devtools: want });
      continue;
    }
    if (got.count !== want.count) mismatches.add(`${label} class count`, { class: name, devtools: want.count, gcsh: got.count });
    if (got.self !== want.self) mismatches.add(`${label} class self`, { class: name, devtools: want.self, gcsh: got.self });
    if (got.retained !== want.maxRet) mismatches.add(`${label} class retained`, { class: name, devtools: want.maxRet, gcsh: got.retained });
    if (got.distance !== undefined && got.distance !== want.distance) {
      mismatches.add(`${label} class distance`, { class: name, devtools: want.distance, gcsh: got.distance });
    }
  }
  for (const name of rows.keys()) if (!expected.has(name)) mismatches.add(`${label} class extra`, { class: name, gcsh: rows.get(name) });
}

/**
 * Run `gcsh --json` over `commands`. With `indexDir`, the snapshot is symlinked into that folder and gcsh may write
 * and read its index file there (the second run then answers from the index); without it, `--no-index`.
 */
function runCli(file, commands, indexDir = null) {
  // stdout goes to a file, not a pipe: gcsh calls process.exit() as soon as the last command ran, and output still
  // queued for a pipe is lost then (see docs/parity.md); a file write is synchronous.
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-parity-'));
  try {
    const outPath = join(dir, 'out.jsonl');
    const out = openSync(outPath, 'w');
    let target = file;
    if (indexDir) {
      target = join(indexDir, basename(file));
      if (!existsSync(target)) symlinkSync(resolve(file), target);
    }
    let result;
    try {
      const argv = ['--max-old-space-size=8192', gcshBin, target, ...(indexDir ? [] : ['--no-index']), '--json', '--keep-going'];
      result = spawnSync(process.execPath, argv, {
        input: commands.join('\n') + '\n',
        stdio: ['pipe', out, 'pipe'],
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        timeout: 30 * 60_000,
        env: { ...process.env, ...(indexDir ? { XDG_CACHE_HOME: indexDir } : {}) },
      });
    } finally {
      closeSync(out);
    }
    if (result.status !== 0 && result.status !== 1) throw new Error(`gcsh exited ${result.status}: ${String(result.stderr).slice(0, 2000)}`);
    const lines = readFileSync(outPath, 'utf8').split('\n').filter((line) => line.trim() !== '');
    if (lines.length !== commands.length) throw new Error(`gcsh answered ${lines.length} of ${commands.length} commands`);
    return lines.map((line) => JSON.parse(line));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Check the CLI's records (summary, then one `show` per sample node, then one `dominators` per chain node). */
function checkCliRecords(records, dev, devByName, sample, chains, prefix) {
  const cliMismatches = new Mismatches();
  const add = (kind, example) => cliMismatches.add(`${prefix} ${kind}`, example);
  const summary = records[0];
  if (!summary?.ok) add('summary failed', summary);
  else {
    const cliRows = new Map(summary.rows.map((r) => [r.type, { count: r.count, self: r.selfSize, retained: r.retainedSize }]));
    if (cliRows.size !== summary.rows.length) add('duplicate class rows', { rows: summary.rows.length, names: cliRows.size });
    const rowMismatches = new Mismatches();
    compareClassRows(prefix, devByName, cliRows, rowMismatches);
    for (const [kind, count] of Object.entries(rowMismatches.counts)) {
      cliMismatches.counts[kind] = count;
      cliMismatches.examples[kind] = rowMismatches.examples[kind];
    }
    if (summary.totalSize !== dev.totalSize) add('totalSize', { devtools: dev.totalSize, gcsh: summary.totalSize });
  }
  for (let k = 0; k < sample.length; k++) {
    const i = sample[k];
    const rec = records[k + 1];
    const id = dev.id[i];
    if (!rec?.ok) {
      add('show failed', { id, rec });
      continue;
    }
    const o = rec.object;
    if (o.retainedSize !== dev.retainedSize[i]) add('node retainedSize', { id, devtools: dev.retainedSize[i], gcsh: o.retainedSize });
    // The CLI leaves `distance` out of a record when the node is unreachable (DevTools' noDistance, -5).
    const cliDistance = o.distance ?? -5;
    if (cliDistance !== dev.distance[i]) add('node distance', { id, devtools: dev.distance[i], gcsh: o.distance });
    if (o.selfSize !== dev.selfSize[i]) add('node selfSize', { id, devtools: dev.selfSize[i], gcsh: o.selfSize });
    const wantDom = dev.id[dev.dominator[i]];
    if (rec.dominator?.id !== wantDom) add('node dominator', { id, devtools: wantDom, gcsh: rec.dominator?.id });
    const wantClass = dev.strings[dev.classIndex[i]];
    if (o.type !== wantClass) add('node class', { id, devtools: wantClass, gcsh: o.type });
  }
  for (let k = 0; k < chains.length; k++) {
    const i = chains[k];
    const rec = records[1 + sample.length + k];
    const id = dev.id[i];
    if (!rec?.ok) {
      add('dominators failed', { id, rec });
      continue;
    }
    const want = [];
    for (let d = i; d !== dev.rootOrdinal; ) {
      d = dev.dominator[d];
      want.push(dev.id[d]);
    }
    const got = rec.dominators.map((r) => r.id);
    if (got.join() !== want.join()) add('dominator chain', { id, devtools: want, gcsh: got });
  }
  return cliMismatches;
}

/**
 * Compare one snapshot. `gcsh` supplies the library entry points (dist/ for the script, src/ for the test):
 * { readHeapSnapshot, computeDerived, aggregateByClass, propagateDomState? }. The CLI is always bin/gcsh.js (dist/).
 * Returns a report with per-kind mismatch counts and the first examples of each.
 */
export async function compareFile(file, { bundlePath, gcsh, sampleSize = 2000, largest = 50, cli = true, index = true, seed = 1 }) {
  const report = { file, timings: {} };
  let mark = performance.now();
  const dev = await runDevtools(bundlePath, file);
  report.timings.devtoolsMs = Math.round(dev.elapsedMs);
  report.nodeCount = dev.nodeCount;
  report.devtoolsWarnings = dev.warnings.map((w) => w.split('\n')[0]);
  const devByKey = dev.aggregates;
  const devByName = devtoolsAggregatesByName(dev.snapshot, dev);
  const keysPerName = new Map();
  for (const a of devByKey) keysPerName.set(a.name, (keysPerName.get(a.name) ?? 0) + 1);
  report.locationSplitClasses = [...keysPerName].filter(([, k]) => k > 1).map(([name, k]) => ({ name, keys: k }));
  report.devtoolsRows = devByKey.length;
  report.devtoolsClasses = devByName.size;

  mark = performance.now();
  const store = await gcsh.readHeapSnapshot(file);
  const derived = gcsh.computeDerived(store);
  const aggregates = gcsh.aggregateByClass(store, derived);
  report.timings.gcshLibraryMs = Math.round(performance.now() - mark);

  const library = new Mismatches();
  // Detachedness after DevTools' propagateDOMState (0 unknown, 1 attached, 2 detached), when gcsh exports it.
  const domState = gcsh.propagateDomState ? gcsh.propagateDomState(store) : null;
  compareNodes(dev, store, derived, domState, library);
  const rows = new Map(aggregates.map((a) => [a.name, { count: a.count, self: a.selfSize, retained: a.retainedSize, distance: a.distance }]));
  compareClassRows('library', devByName, rows, library);
  // Where DevTools has exactly one row per name its own maxRet must equal the by-name recomputation; a difference
  // here would be a bug in this tool, not in gcsh.
  for (const a of devByKey) {
    if (keysPerName.get(a.name) !== 1) continue;
    const mine = devByName.get(a.name);
    if (mine.maxRet !== a.maxRet || mine.count !== a.count || mine.self !== a.self) library.add('TOOL by-name recomputation', { a, mine });
  }
  report.library = { total: library.total, counts: library.counts, examples: library.examples };

  if (cli) {
    mark = performance.now();
    const next = random(seed);
    const picks = new Set();
    const eligible = dev.nodeCount;
    const idCount = new Map();
    for (let i = 0; i < eligible; i++) idCount.set(dev.id[i], (idCount.get(dev.id[i]) ?? 0) + 1);
    const unique = (i) => idCount.get(dev.id[i]) === 1;
    for (let tries = 0; picks.size < Math.min(sampleSize, eligible) && tries < sampleSize * 20; tries++) {
      const i = Math.floor(next() * eligible);
      if (unique(i)) picks.add(i);
    }
    const byRetained = [...Array(eligible).keys()].filter(unique).sort((a, b) => dev.retainedSize[b] - dev.retainedSize[a]);
    for (const i of byRetained.slice(0, largest)) picks.add(i);
    const sample = [...picks];
    // Whole dominator chains for the largest nodes and the first 50 random picks.
    const chains = [...new Set([...byRetained.slice(0, largest), ...sample.slice(0, 50)])];
    const commands = ['summary --limit 1000000', ...sample.map((i) => `show @${dev.id[i]}`), ...chains.map((i) => `dominators @${dev.id[i]}`)];
    const records = runCli(file, commands);
    report.timings.gcshCliMs = Math.round(performance.now() - mark);
    const cliMismatches = checkCliRecords(records, dev, devByName, sample, chains, 'cli');
    if (index) {
      // The same commands answered from gcsh's index file: a cold run writes it, a second run reads it.
      const indexDir = mkdtempSync(join(tmpdir(), 'gcsh-parity-index-'));
      try {
        runCli(file, ['summary --limit 1'], indexDir);
        const written = readdirSync(indexDir).filter((name) => name.endsWith('.gcshidx') || name === 'gcsh');
        if (written.length === 0) cliMismatches.add('index not written', { indexDir });
        mark = performance.now();
        // A final `load` of the same path reports whether the index file was valid and used.
        const indexed = runCli(file, [...commands, `load ${join(indexDir, basename(file))} as parityindexcheck`], indexDir);
        const check = indexed.pop();
        if (check?.fromIndex !== true) cliMismatches.add('index not used', { record: check });
        const fromIndex = checkCliRecords(indexed, dev, devByName, sample, chains, 'index');
        report.timings.gcshIndexedCliMs = Math.round(performance.now() - mark);
        for (const [kind, count] of Object.entries(fromIndex.counts)) {
          cliMismatches.counts[kind] = count;
          cliMismatches.examples[kind] = fromIndex.examples[kind];
        }
      } finally {
        rmSync(indexDir, { recursive: true, force: true });
      }
    }
    report.cli = {
      sampled: sample.length,
      chains: chains.length,
      total: cliMismatches.total,
      counts: cliMismatches.counts,
      examples: cliMismatches.examples,
    };
  }
  return report;
}
