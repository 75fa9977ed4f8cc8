#!/usr/bin/env node
// `npm run bench`: SPEC §9 benchmark (not a test). Generates (or reuses) a real ~250 MB TypeScript-compiler heap
// snapshot, times gcsh through its CLI and memlab's getFullHeapFromFile on it side by side, one fresh process per
// run, and prints a table and writes docs/benchmarks.md. Helpers live in test/bench/; scratch in test/bench/work/.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeSnapshot, ensureTscSnapshot } from '../test/bench/generate-snapshot.mjs';
import { gcshBench, gcshUnavailable } from '../test/bench/gcsh-bench.mjs';
import { machineInfo } from '../test/bench/machine-info.mjs';
import { memlabBench } from '../test/bench/memlab-bench.mjs';
import { markdownReport, textReport } from '../test/bench/report.mjs';
import { findObjectIdByClass } from '../test/bench/snapshot-scan.mjs';
import { cpuProfileTop } from '../test/bench/cpu-profile-top.mjs';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workDir = join(repoDir, 'test', 'bench', 'work');
const profileDir = join(workDir, 'profiles');

const USAGE = `usage: npm run bench -- [options]
  --runs N          runs per tool, medians reported (default 3)
  --skip-memlab     do not install or run memlab
  --skip-gcsh       do not run gcsh
  --snapshot FILE   bench this .heapsnapshot instead of the generated TypeScript-compiler one
  --id N            heap object id for show/retainers/dominators (default: a SourceFileObject, else an Object)
  --no-doc          print the table only; do not rewrite docs/benchmarks.md
  --json FILE       also write the raw results as JSON
  --profile         CPU-profile gcsh's first cold load (test/bench/work/profiles/) and print its top functions
  -h, --help        this text`;

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '3' },
        'skip-memlab': { type: 'boolean', default: false },
        'skip-gcsh': { type: 'boolean', default: false },
        snapshot: { type: 'string' },
        id: { type: 'string' },
        'no-doc': { type: 'boolean', default: false },
        json: { type: 'string' },
        profile: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`--runs wants a positive integer, got ${values.runs}\n`);
    process.exit(2);
  }
  if (values.id !== undefined && !/^\d+$/.test(values.id)) {
    process.stderr.write(`--id wants a decimal heap object id, got ${values.id}\n`);
    process.exit(2);
  }
  return { ...values, runs };
}

const log = (msg) => process.stderr.write(msg + '\n');

/**
 * Other benches own sections of docs/benchmarks.md between `<!-- name -->` and `<!-- /name -->` (e.g. ui-bench from
 * test/bench/ui-latency.mjs): carry every such section of the previous file over, after the generated text.
 */
function keepMarkedSections(generated, previous) {
  const sections = [...previous.matchAll(/<!-- ([\w-]+) -->[\s\S]*?<!-- \/\1 -->/g)].map((m) => m[0]);
  return sections.length === 0 ? generated : `${generated.trimEnd()}\n\n${sections.join('\n\n')}\n`;
}

async function main() {
  const opts = parseOptions();
  const machine = machineInfo();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  let snapshot;
  if (opts.snapshot) {
    const file = resolve(opts.snapshot);
    if (!existsSync(file)) {
      process.stderr.write(`no such snapshot: ${file}\n`);
      process.exit(2);
    }
    if (file.endsWith('.gz')) {
      // The bench reads the header and picks an object id by scanning raw bytes, and memlab reads plain JSON only.
      process.stderr.write(`--snapshot wants an uncompressed .heapsnapshot (gunzip ${file} first)\n`);
      process.exit(2);
    }
    snapshot = { file, ...describeSnapshot(file), howMade: null, generation: null };
  } else {
    const t0 = performance.now();
    snapshot = ensureTscSnapshot(workDir, log);
    if (!snapshot.generation) log(`reusing ${snapshot.file} (delete it to regenerate)`);
    else log(`snapshot ready in ${((performance.now() - t0) / 1000).toFixed(1)} s including installs`);
  }
  log(`snapshot: ${(snapshot.sizeBytes / 1e6).toFixed(1)} MB, ${snapshot.nodeCount} nodes, ${snapshot.edgeCount} edges`);

  // Set both tools up, then interleave their runs (gcsh cold + warm, memlab, next round …) so that on a shared
  // machine both see the same background load.
  let objectId = opts.id ? Number(opts.id) : null;
  if (objectId == null) {
    const pick = findObjectIdByClass(snapshot.file, 'SourceFileObject') ?? findObjectIdByClass(snapshot.file, 'Object');
    objectId = pick?.id ?? null;
  }
  let gcsh = { status: 'skipped', reason: '--skip-gcsh' };
  let gcshRunner = null;
  if (!opts['skip-gcsh']) {
    const unavailable = await gcshUnavailable(repoDir);
    if (unavailable) gcsh = { status: 'not built', reason: unavailable };
    else if (objectId == null) gcsh = { status: 'failed', reason: 'no object id found in the snapshot: pass --id N' };
    else gcshRunner = gcshBench(repoDir, workDir, snapshot.file, objectId, opts.runs, log, { profileDir: opts.profile ? profileDir : null });
    if (!gcshRunner) log(`gcsh: ${gcsh.status} — ${gcsh.reason}`);
  }
  const memlabRunner = opts['skip-memlab'] ? null : memlabBench(workDir, snapshot.file, opts.runs, log, objectId);
  for (let i = 0; i < opts.runs; i++) {
    if (gcshRunner) await gcshRunner.run(i);
    if (memlabRunner) await memlabRunner.run(i);
  }
  if (gcshRunner) {
    gcshRunner.cleanup();
    gcsh = gcshRunner.result();
  }
  const memlab = memlabRunner ? memlabRunner.result() : { status: 'skipped', reason: '--skip-memlab' };

  const profileFile = join(profileDir, 'gcsh-cold.cpuprofile');
  if (opts.profile && gcsh.status === 'ok' && existsSync(profileFile)) {
    const { totalMs, top } = cpuProfileTop(profileFile);
    log(`\ngcsh cold load CPU profile (${profileFile}, ${(totalMs / 1000).toFixed(2)} s sampled), top self time:`);
    for (const t of top) log(`  ${t.ms.toFixed(0).padStart(6)} ms  ${t.fn}  ${t.where}`);
  }
  const snapshotLabel = relative(repoDir, snapshot.file).startsWith('..') ? snapshot.file : relative(repoDir, snapshot.file);
  const result = { date, runs: opts.runs, machine, snapshot, snapshotLabel, gcsh, memlab };
  process.stdout.write('\n' + textReport(result));
  if (!opts['no-doc']) {
    const doc = join(repoDir, 'docs', 'benchmarks.md');
    const previous = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
    writeFileSync(doc, keepMarkedSections(markdownReport(result), previous));
    log(`wrote ${relative(repoDir, doc)}`);
  }
  if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
