// Parity tooling: runs Chrome DevTools' own heap snapshot worker code and gcsh (dist/, so `npm run build` first, and
// `gcsh --json`) on each snapshot and prints
// the mismatches: every node's retained size, distance, dominator, self size, flags, detachedness and class; every
// Summary class's count, self and retained size; a sample of nodes and dominator chains through the CLI, cold and
// answered from gcsh's index file. Exit 1 when anything differs.
//   node test/parity/compare.mjs [--sample N] [--no-cli] [--no-index] [--json OUT] [--markdown] FILE…
import { writeFileSync } from 'node:fs';
import { buildDevtoolsBundle } from './build-devtools.mjs';
import { compareFile } from './compare-core.mjs';

const args = process.argv.slice(2);
const files = [];
let sampleSize = 2000;
let cli = true;
let jsonOut = null;
let markdown = false;
let index = true;
for (let k = 0; k < args.length; k++) {
  if (args[k] === '--sample') sampleSize = Number(args[++k]);
  else if (args[k] === '--no-cli') cli = false;
  else if (args[k] === '--json') jsonOut = args[++k];
  else if (args[k] === '--markdown') markdown = true;
  else if (args[k] === '--no-index') index = false;
  else files.push(args[k]);
}
if (files.length === 0) {
  console.error('usage: node test/parity/compare.mjs [--sample N] [--no-cli] [--no-index] [--json OUT] [--markdown] FILE…');
  process.exit(2);
}

const bundlePath = await buildDevtoolsBundle();
const gcsh = {
  ...(await import('../../dist/formats/v8/read-heapsnapshot.js')),
  ...(await import('../../dist/analyses/compute-derived.js')),
  ...(await import('../../dist/analyses/aggregates.js')),
  ...(await import('../../dist/analyses/node-flags.js')),
};

const reports = [];
let failed = 0;
for (const file of files) {
  const report = await compareFile(file, { bundlePath, gcsh, sampleSize, cli, index });
  const { snapshot: _unused, ...printable } = report;
  reports.push(printable);
  const lib = report.library.total;
  const cliTotal = report.cli?.total ?? 0;
  if (lib + cliTotal > 0) failed++;
  console.log(`\n== ${file}`);
  const rows = `DevTools Summary rows ${report.devtoolsRows} (${report.devtoolsClasses} class names)`;
  console.log(`   nodes ${report.nodeCount}, ${rows}, timings ${JSON.stringify(report.timings)}`);
  if (report.locationSplitClasses.length > 0) {
    console.log(`   DevTools splits by constructor location: ${report.locationSplitClasses.map((c) => `${c.name}×${c.keys}`).join(', ')}`);
  }
  for (const warning of report.devtoolsWarnings) console.log(`   DevTools warned: ${warning}`);
  console.log(`   library (all nodes, all classes): ${lib} mismatches`);
  for (const [kind, count] of Object.entries(report.library.counts)) {
    console.log(`     ${kind}: ${count}; e.g. ${JSON.stringify(report.library.examples[kind].slice(0, 3))}`);
  }
  if (report.cli) {
    const what = `summary + ${report.cli.sampled} sampled nodes + ${report.cli.chains} dominator chains`;
    console.log(`   CLI, cold and from the index file (${what}): ${cliTotal} mismatches`);
    for (const [kind, count] of Object.entries(report.cli.counts)) {
      console.log(`     ${kind}: ${count}; e.g. ${JSON.stringify(report.cli.examples[kind].slice(0, 3))}`);
    }
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(reports, null, 2));
if (markdown) {
  const kinds = (r) => Object.entries({ ...r.library.counts, ...(r.cli?.counts ?? {}) }).map(([k, n]) => `${k} ${n}`).join(', ') || '—';
  console.log(
    '\n| snapshot | nodes | DevTools rows (names) | node mismatches (all nodes) | class mismatches | CLI mismatches (sampled, chains) | kinds |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of reports) {
    const nodeKinds = Object.entries(r.library.counts).filter(([k]) => k.startsWith('node') || k === 'totalSize').reduce((s, [, n]) => s + n, 0);
    const classKinds = r.library.total - nodeKinds;
    const name = r.file.split('/').pop();
    const cliCell = r.cli ? `${r.cli.total} (${r.cli.sampled}, ${r.cli.chains})` : '—';
    const cells = [name, r.nodeCount, `${r.devtoolsRows} (${r.devtoolsClasses})`, nodeKinds, classKinds, cliCell, kinds(r)];
    console.log(`| ${cells.join(' | ')} |`);
  }
}
console.log(`\n${files.length - failed} of ${files.length} snapshots match DevTools exactly`);
process.exit(failed > 0 ? 1 : 0);
