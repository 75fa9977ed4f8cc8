// Bench helper (not product code): turns one bench result into the SPEC §9 budget checks, a plain-text table
// for stdout, and the generated docs/benchmarks.md.
import { fmtCount, fmtMB, fmtMs } from './stats.mjs';

/** SPEC §9 budgets checked against the medians; each row {name, budget, measured, pass (true/false/null)}. */
export function budgetRows(result) {
  const g = result.gcsh.status === 'ok' ? result.gcsh : null;
  const m = result.memlab.status === 'ok' ? result.memlab : null;
  const size = result.snapshot.sizeBytes;
  const rows = [];
  const speed = g && m ? m.median.elapsedMs / g.cold.median.elapsedMs : null;
  // Whole-process CPU time (user + sys) is shown beside it: on a shared machine it moves less than wall time.
  const cpuSpeed = g && m && g.cold.median.cpuMs && m.median.cpuMs ? m.median.cpuMs / g.cold.median.cpuMs : null;
  // Process wall time includes Node start-up, module loading and gcsh's index-file write (batch mode finishes it
  // after the load is ready, before exit): the conservative comparison.
  const wallSpeed = g && m ? m.median.wallMs / g.cold.median.wallMs : null;
  const others = [
    wallSpeed == null ? null : `process wall ${wallSpeed.toFixed(1)}×`,
    cpuSpeed == null ? null : `CPU time ${cpuSpeed.toFixed(1)}×`,
  ].filter(Boolean);
  rows.push({
    name: 'load + index + dominators vs memlab getFullHeapFromFile',
    budget: '≥ 5× faster (goal 10×)',
    measured: speed == null ? '—' : `${speed.toFixed(1)}×` + (others.length ? ` (${others.join(', ')})` : ''),
    pass: speed == null ? null : speed >= 5,
  });
  const rss = g ? g.cold.median.maxRssBytes / size : null;
  rows.push({
    name: 'gcsh peak RSS (cold load) / file size',
    budget: '≤ 1.5×',
    measured: rss == null ? '—' : `${rss.toFixed(2)}× (${fmtMB(g.cold.median.maxRssBytes)})`,
    pass: rss == null ? null : rss <= 1.5,
  });
  const reopen = g ? g.warm.median.reopenMs : null;
  rows.push({
    name: 'reopen from index',
    budget: '< 0.5 s',
    measured: fmtMs(reopen),
    pass: reopen == null ? null : reopen < 500 && g.warm.median.allFromIndex,
  });
  for (const cmd of ['summary', 'show', 'retainers']) {
    const ms = g ? g.warm.median.commands[cmd] : null;
    rows.push({ name: `\`${cmd}\``, budget: '< 50 ms', measured: fmtMs(ms), pass: ms == null ? null : ms < 50 });
  }
  const cyc = g ? g.warm.median.commands.cycles : null;
  rows.push({ name: '`cycles` over everything', budget: '< 1 s', measured: fmtMs(cyc), pass: cyc == null ? null : cyc < 1000 });
  return rows;
}

/** Was the machine busy with other work when the bench started (1-minute load above the core count)? */
const busy = (machine) => machine.loadAvg[0] > machine.cores;
const busyNote = (machine) =>
  `the machine was busy (1-minute load ${machine.loadAvg[0]} on ${machine.cores} cores) when the bench started, so wall ` +
  'times are inflated for both tools; the CPU-time figures are the steadier comparison.';
// gcsh's load record names its sequential steps with these keys; `ready` is a milestone (time from the start
// until the snapshot is usable), and any other key is a detail inside a step (`worker.*` run on the loader's
// second thread, overlapping the main thread; `wait.*` is main-thread time spent waiting for them).
const TOP_PHASES = ['indexProbe', 'indexRead', 'read', 'analyses', 'indexWrite'];
const MILESTONES = ['ready'];
/** Split a phases object into [sequential steps, milestones, details], each a list of [name, ms]. */
const splitPhases = (phases) => {
  const entries = Object.entries(phases);
  return [
    entries.filter(([p]) => TOP_PHASES.includes(p)),
    entries.filter(([p]) => MILESTONES.includes(p)),
    entries.filter(([p]) => !TOP_PHASES.includes(p) && !MILESTONES.includes(p)),
  ];
};
/** Load time not covered by the sequential steps (medians, so only roughly additive); null when negligible. */
const unaccounted = (cold) => {
  const rest = cold.elapsedMs - splitPhases(cold.phases)[0].reduce((a, [, ms]) => a + (ms ?? 0), 0);
  return rest > cold.elapsedMs * 0.01 ? rest : null;
};
const verdict = (pass) => (pass === true ? 'PASS' : pass === false ? 'FAIL' : 'n/a');
const perSecond = (count, ms) => (count == null || ms == null ? '—' : fmtCount(count / (ms / 1000)));
const mbPerSecond = (bytes, ms) => (ms == null ? '—' : (bytes / 1e6 / (ms / 1000)).toFixed(1));
const share = (ms, total) => (ms == null || !total ? '—' : `${((ms / total) * 100).toFixed(0)}%`);

/** Plain-text report for stdout (no ANSI codes). */
export function textReport(result) {
  const { machine, snapshot } = result;
  const out = [];
  const table = (rows) => {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
    for (const r of rows) out.push('  ' + r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd());
  };
  out.push(`gcsh benchmark — ${result.date}, median of ${result.runs} run(s)`);
  out.push(`machine: ${machine.cpu}, ${machine.cores} cores, ${(machine.ramBytes / 2 ** 30).toFixed(1)} GiB RAM, Node ${machine.node}, load ${machine.loadAvg.join(' ')}`);
  if (busy(machine)) out.push(`WARNING: ${busyNote(machine)}`);
  out.push(`snapshot: ${snapshot.file} — ${fmtMB(snapshot.sizeBytes)}, ${fmtCount(snapshot.nodeCount)} nodes, ${fmtCount(snapshot.edgeCount)} edges`);
  out.push('');
  const g = result.gcsh;
  if (g.status === 'ok') {
    out.push(`gcsh cold load (${g.cold.median.allCold ? 'no index' : 'WARNING: some runs read an index'}):`);
    const rows = [['phase', 'time', 'share']];
    const [steps, milestones, details] = splitPhases(g.cold.median.phases);
    for (const [p, ms] of steps) rows.push([p, fmtMs(ms), share(ms, g.cold.median.elapsedMs)]);
    const rest = unaccounted(g.cold.median);
    if (rest != null) rows.push(['other', fmtMs(rest), share(rest, g.cold.median.elapsedMs)]);
    for (const [p, ms] of milestones) rows.push([`(${p} at)`, fmtMs(ms), '']);
    rows.push(['total (load elapsedMs)', fmtMs(g.cold.median.elapsedMs), '']);
    rows.push(['process wall', fmtMs(g.cold.median.wallMs), '']);
    rows.push(['process CPU (user + sys)', fmtMs(g.cold.median.cpuMs), '']);
    table(rows);
    if (details.length) out.push(`  detail: ${details.map(([p, ms]) => `${p} ${fmtMs(ms)}`).join(', ')}`);
    out.push(`  ${perSecond(snapshot.nodeCount, g.cold.median.elapsedMs)} nodes/s, ${mbPerSecond(snapshot.sizeBytes, g.cold.median.elapsedMs)} MB/s, peak RSS ${fmtMB(g.cold.median.maxRssBytes)}, index ${fmtMB(g.cold.median.indexBytes)}`);
    out.push(`gcsh warm session (${g.objectRef}):`);
    const wrows = [['command', 'time']];
    wrows.push(['load (reopen from index)', fmtMs(g.warm.median.reopenMs)]);
    for (const [cmd, ms] of Object.entries(g.warm.median.commands)) wrows.push([cmd, fmtMs(ms)]);
    wrows.push(['peak RSS', fmtMB(g.warm.median.maxRssBytes)]);
    table(wrows);
    for (const e of g.warm.median.errors) out.push(`  failed: ${e}`);
  } else {
    out.push(`gcsh: ${g.status} — ${g.reason}`);
  }
  out.push('');
  const m = result.memlab;
  if (m.status === 'ok') {
    out.push(`memlab ${m.version} getFullHeapFromFile (Node ${m.node}, --max-old-space-size=${m.oldSpaceMb}):`);
    const rows = [['phase', 'time', 'share']];
    for (const [p, ms] of Object.entries(m.median.phases)) rows.push([p, fmtMs(ms), share(ms, m.median.elapsedMs)]);
    rows.push(['total', fmtMs(m.median.elapsedMs), '']);
    rows.push(['process wall', fmtMs(m.median.wallMs), '']);
    rows.push(['process CPU (user + sys)', fmtMs(m.median.cpuMs), '']);
    table(rows);
    out.push(`  ${perSecond(snapshot.nodeCount, m.median.elapsedMs)} nodes/s, ${mbPerSecond(snapshot.sizeBytes, m.median.elapsedMs)} MB/s, peak RSS ${fmtMB(m.median.maxRssBytes)} (${(m.median.maxRssBytes / snapshot.sizeBytes).toFixed(2)}× file)`);
  } else {
    out.push(`memlab: ${m.status}${m.reason ? ' — ' + m.reason : ''}`);
  }
  out.push('');
  out.push('budgets:');
  table([['budget', 'target', 'measured', ''], ...budgetRows(result).map((r) => [r.name.replaceAll('`', ''), r.budget, r.measured, verdict(r.pass)])]);
  return out.join('\n') + '\n';
}

/** The generated docs/benchmarks.md. */
export function markdownReport(result) {
  const { machine, snapshot } = result;
  const g = result.gcsh;
  const m = result.memlab;
  const L = [];
  const row = (...cells) => L.push(`| ${cells.join(' | ')} |`);
  const head = (...cells) => {
    row(...cells);
    row(...cells.map(() => '---'));
  };
  L.push('# Benchmarks');
  L.push('');
  L.push('> **Generated** by `npm run bench` (`scripts/bench.mjs`, helpers in `test/bench/`). Do not edit by hand: rerun');
  L.push('> the bench to update. Budgets are the targets set for gcsh; every figure is the median of the runs below, each run a fresh');
  L.push('> process so its peak RSS is its own. Sections between `<!-- name -->` markers at the end belong to other');
  L.push('> benches and are kept as they are.');
  L.push('');
  L.push(`Run on ${result.date}, ${result.runs} run(s) per tool.`);
  L.push('');
  L.push('## Machine');
  L.push('');
  head('CPU', 'cores', 'RAM', 'Node (gcsh and memlab)', 'OS', 'load average at start');
  row(machine.cpu, machine.cores, `${(machine.ramBytes / 2 ** 30).toFixed(1)} GiB`, machine.node, machine.os, machine.loadAvg.join(' / '));
  if (busy(machine)) L.push('', `**Warning:** ${busyNote(machine)}`);
  L.push('');
  L.push('## Snapshot');
  L.push('');
  head('file', 'size', 'nodes', 'edges', 'node fields');
  row(`\`${result.snapshotLabel}\``, fmtMB(snapshot.sizeBytes), fmtCount(snapshot.nodeCount), fmtCount(snapshot.edgeCount), snapshot.nodeFields);
  if (snapshot.howMade) L.push('', `How it was made: ${snapshot.howMade}.`);
  const gen = snapshot.generation ?? snapshot.savedGeneration;
  if (gen) {
    L.push('');
    L.push(
      `Generation: ${gen.sourceFiles} source files (${gen.rootFiles} roots), ${gen.diagnostics} diagnostics, ${fmtCount(gen.typeCount)} types, ` +
        `live heap ${fmtMB(gen.heapUsedBytes)}; createProgram ${fmtMs(gen.createProgramMs)}, check ${fmtMs(gen.checkMs)}, ` +
        `writeHeapSnapshot ${fmtMs(gen.writeSnapshotMs)}; whole child ${fmtMs(gen.childWallMs)} (cached in \`test/bench/work/\` afterwards).`,
    );
  }
  L.push('');
  L.push('## Budgets');
  L.push('');
  head('budget', 'target', 'measured', 'verdict');
  for (const r of budgetRows(result)) row(r.name, r.budget, r.measured, `**${verdict(r.pass)}**`);
  L.push('');
  L.push('## Side by side');
  L.push('');
  head('', 'gcsh (cold load)', 'memlab `getFullHeapFromFile`', 'memlab ÷ gcsh');
  const gOk = g.status === 'ok';
  const mOk = m.status === 'ok';
  const ratio = (a, b) => (a == null || b == null ? '—' : `${(a / b).toFixed(1)}×`);
  const gc = gOk ? g.cold.median : {};
  const mm = mOk ? m.median : {};
  row('time to a fully analysed graph', fmtMs(gc.elapsedMs), fmtMs(mm.elapsedMs), ratio(mm.elapsedMs, gc.elapsedMs));
  row('process wall time', fmtMs(gc.wallMs), fmtMs(mm.wallMs), ratio(mm.wallMs, gc.wallMs));
  row('process CPU time (user + sys, all threads)', fmtMs(gc.cpuMs), fmtMs(mm.cpuMs), ratio(mm.cpuMs, gc.cpuMs));
  row('nodes/s', perSecond(snapshot.nodeCount, gc.elapsedMs), perSecond(snapshot.nodeCount, mm.elapsedMs), '');
  row('MB/s of snapshot', gOk ? mbPerSecond(snapshot.sizeBytes, gc.elapsedMs) : '—', mOk ? mbPerSecond(snapshot.sizeBytes, mm.elapsedMs) : '—', '');
  row('peak RSS', fmtMB(gc.maxRssBytes), fmtMB(mm.maxRssBytes), ratio(mm.maxRssBytes, gc.maxRssBytes));
  row(
    'peak RSS ÷ file size',
    gOk ? `${(gc.maxRssBytes / snapshot.sizeBytes).toFixed(2)}×` : '—',
    mOk ? `${(mm.maxRssBytes / snapshot.sizeBytes).toFixed(2)}×` : '—',
    '',
  );
  L.push('');
  L.push('## gcsh');
  L.push('');
  if (gOk) {
    L.push(
      `Through the CLI contract, Node ${g.node} with default flags: cold = \`node bin/gcsh.js --json -e "load FILE"\` with no index ` +
        `(both index locations removed first${gc.allCold ? '' : '; **warning: some runs still reported fromIndex**'}); warm = ` +
        `\`node bin/gcsh.js --json -e "load FILE; summary; show ${g.objectRef}; retainers ${g.objectRef}; dominators ${g.objectRef}; cycles"\`. ` +
        'Times are each JSON record\'s `elapsedMs`; a cold `load` is timed until the snapshot is ready, and when gcsh ' +
        'writes the index file after that (before the process exits) the write shows only in the process wall time.',
    );
    L.push('');
    head('cold load phase', 'time', 'share');
    const [steps, milestones, details] = splitPhases(gc.phases);
    for (const [p, ms] of steps) row(p, fmtMs(ms), share(ms, gc.elapsedMs));
    const rest = unaccounted(gc);
    if (rest != null) row('other (elapsedMs minus the steps)', fmtMs(rest), share(rest, gc.elapsedMs));
    for (const [p, ms] of milestones) row(`_${p}_ (time until usable)`, fmtMs(ms), share(ms, gc.elapsedMs));
    row('**total** (`load` elapsedMs)', `**${fmtMs(gc.elapsedMs)}**`, '');
    if (details.length) {
      L.push('');
      L.push(
        'Details inside those steps, as gcsh reports them (`worker.*` run on the loader\'s second thread, overlapping ' +
          'the main thread; `wait.*` is main-thread time spent waiting for them), so they do not add up:',
      );
      L.push('');
      head('detail', 'time');
      for (const [p, ms] of details) row(p, fmtMs(ms));
    }
    L.push('');
    L.push(`Index file written: ${fmtMB(gc.indexBytes)}.`);
    L.push('');
    head('warm command', 'time');
    row('`load` (reopen from index)', fmtMs(g.warm.median.reopenMs));
    for (const [cmd, ms] of Object.entries(g.warm.median.commands)) row(`\`${cmd}\``, fmtMs(ms));
    row('peak RSS of the warm session', fmtMB(g.warm.median.maxRssBytes));
    if (g.warm.median.cycleCount != null) L.push('', `\`cycles\` returned ${g.warm.median.cycleCount} cycle(s) (first page).`);
    if (g.warm.median.errors.length) L.push('', `Commands that failed (no time reported): ${g.warm.median.errors.map((e) => `\`${e}\``).join('; ')}.`);
  } else {
    L.push(`Not measured: ${g.status} — ${g.reason}.`);
  }
  L.push('');
  L.push('## memlab');
  L.push('');
  if (mOk) {
    L.push(
      `\`@memlab/heap-analysis\` ${m.version}, installed by the bench into \`test/bench/work/memlab/\` (never a product ` +
        `dependency), run under Node ${m.node} with \`--max-old-space-size=${m.oldSpaceMb}\`. \`getFullHeapFromFile\` parses ` +
        'the file (four concurrent streaming reads pull out nodes, edges and locations as typed arrays; the rest is ' +
        '`JSON.parse`d), builds its `HeapSnapshot` indexes, then `preparePathFinder`: shortest paths from the roots for ' +
        'every node, dominators and retained sizes, and two React Fiber marking passes. Phases are timed by wrapping those ' +
        'functions; the total is the plain call.',
    );
    L.push('');
    head('memlab phase', 'time', 'share');
    for (const [p, ms] of Object.entries(mm.phases)) row(p, fmtMs(ms), share(ms, mm.elapsedMs));
    row('**total**', `**${fmtMs(mm.elapsedMs)}**`, '');
    L.push('');
    L.push("memlab's own progress messages, each with the time until the next one:");
    L.push('');
    head('memlab step', 'time');
    for (const [step, ms] of Object.entries(mm.steps ?? {})) row(step, fmtMs(ms));
  } else {
    L.push(`Not measured: ${m.status}${m.reason ? ' — ' + m.reason : ''}.`);
  }
  const go = gOk ? g.warm.median.object : null;
  const mo = mOk ? mm.object : null;
  if (go || mo) {
    L.push('');
    L.push('## Cross-check on one object');
    L.push('');
    L.push(
      `The bench object (a \`SourceFileObject\` found by scanning the file unless \`--id\` names one) as gcsh's \`show\` ` +
        "and memlab's `getNodeById` see it. memlab keeps V8's raw self sizes, while gcsh follows DevTools' " +
        'shallow-size reattribution, so self sizes may differ where retained sizes should not.',
    );
    L.push('');
    head('', 'gcsh', 'memlab', '');
    const same = (a, b) => (a == null || b == null ? '' : a === b ? 'equal' : '**differ**');
    row('id', go?.id ?? '—', mo?.id ?? '—', '');
    row('class', go?.type ?? '—', mo?.name ?? '—', '');
    row('self size', go?.selfSize ?? '—', mo?.selfSize ?? '—', '');
    row('retained size', go?.retainedSize ?? '—', mo?.retainedSize ?? '—', same(go?.retainedSize, mo?.retainedSize));
    row('immediate dominator', go?.dominatorId == null ? '—' : `@${go.dominatorId}`, mo?.dominatorId == null ? '—' : `@${mo.dominatorId}`, same(go?.dominatorId, mo?.dominatorId));
  }
  L.push('');
  L.push('## Every run');
  L.push('');
  head('run', 'gcsh cold', 'gcsh cold RSS', 'gcsh reopen', 'gcsh cycles', 'memlab', 'memlab RSS');
  for (let i = 0; i < result.runs; i++) {
    const c = gOk ? g.cold.runs[i] : null;
    const w = gOk ? g.warm.runs[i] : null;
    const r = mOk ? m.runs[i] : null;
    row(i + 1, fmtMs(c?.elapsedMs), fmtMB(c?.maxRssBytes), fmtMs(w?.reopenMs), fmtMs(w?.commands.cycles), fmtMs(r?.elapsedMs), fmtMB(r?.maxRssBytes));
  }
  L.push('');
  L.push('## Reproduce');
  L.push('');
  L.push('```');
  L.push('npm run build');
  L.push('npm run bench                       # generate (or reuse) the snapshot, 3 runs of each tool');
  L.push('npm run bench -- --runs 5           # more runs');
  L.push('npm run bench -- --skip-memlab      # gcsh only');
  L.push('npm run bench -- --snapshot FILE    # any .heapsnapshot instead of the generated one');
  L.push('```');
  L.push('');
  L.push('The generated snapshot, the peers (Node 24, TypeScript, zod, memlab) and a private index cache live in');
  L.push('`test/bench/work/` (git-ignored). Peak RSS is `process.resourceUsage().maxRSS` written at exit by a preload');
  L.push('(`test/bench/rss-probe.mjs`) in each measured process. The machine may be shared: other work on it slows wall');
  L.push('times (see the load average above), which is why CPU times are shown too.');
  return L.join('\n') + '\n';
}
