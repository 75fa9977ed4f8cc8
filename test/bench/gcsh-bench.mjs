// Bench helper (not product code): times gcsh through its public CLI contract (`node bin/gcsh.js --json -e …`),
// one fresh process per run: cold load (no index: read + assemble + analyses + index write), then a warm session
// (reopen from the index and the interactive commands), reading each command's `elapsedMs` from its JSON record.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { runMeasured } from './run-child.mjs';
import { median } from './stats.mjs';

export const WARM_COMMANDS = ['summary', 'show', 'retainers', 'dominators', 'cycles'];

/** Both places gcsh may keep the index of `file` (SPEC §8; mirrors src/store/index-path.ts). */
export function indexPaths(file, cacheHome) {
  const absolute = resolve(file);
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  const readable = basename(absolute).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return [absolute + '.gcshidx', join(cacheHome, 'gcsh', `${readable}-${hash}.gcshidx`)];
}

/** Null when `node bin/gcsh.js --version` works, else a one-line reason ("gcsh CLI not built: …"). */
export async function gcshUnavailable(repoDir) {
  const bin = join(repoDir, 'bin', 'gcsh.js');
  if (!existsSync(bin)) return 'gcsh CLI not built: bin/gcsh.js is missing';
  if (!existsSync(join(repoDir, 'dist', 'cli', 'main.js'))) return 'gcsh CLI not built: dist/cli/main.js is missing (npm run build)';
  const r = await runMeasured(process.execPath, [bin, '--version'], { cwd: repoDir, timeoutMs: 60_000 });
  if (r.code !== 0) return `gcsh CLI not built: \`gcsh --version\` exited ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  return null;
}

/** Parse JSON Lines output; non-JSON lines are kept aside (they would break the --json contract). */
function parseRecords(stdout) {
  const records = [];
  const stray = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      stray.push(line);
    }
  }
  return { records, stray };
}

function failure(kind, r, records) {
  const bad = records.find((x) => x.ok === false);
  const why = bad ? `${bad.command}: ${bad.error}` : (r.stderr.trim().split('\n').pop() ?? '') || `exit ${r.code ?? r.signal}`;
  return new Error(`gcsh ${kind} run failed: ${why}`);
}

/**
 * Run gcsh once with --keep-going, so one failing command still leaves the others' timings; returns
 * {records, errors, wallMs, cpuMs, maxRssBytes}. Throws with gcsh's own message when `load` itself failed or
 * the process died (exit codes 0 and 1 are the contract's "all ok" and "a command failed").
 */
async function runGcsh(repoDir, env, commands, kind, nodeFlags = []) {
  const args = [...nodeFlags, join(repoDir, 'bin', 'gcsh.js'), '--json', '--keep-going', '-e', commands];
  const r = await runMeasured(process.execPath, args, { cwd: repoDir, env });
  const { records } = parseRecords(r.stdout);
  const load = records.find((x) => x.command === 'load');
  if ((r.code !== 0 && r.code !== 1) || !load || load.ok === false) throw failure(kind, r, records);
  const errors = records.filter((x) => x.ok === false).map((x) => `${x.command}: ${x.error}`);
  return { records, errors, wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssBytes: r.maxRssBytes };
}

/**
 * A gcsh bench on `file` (call after gcshUnavailable() said null). `objectId` names the object for
 * show/retainers/dominators. `run(i)` does one cold and one warm measured run (false once gcsh has failed);
 * `result()` gives {status: 'ok', cold, warm, …} or {status: 'failed', reason}.
 */
export function gcshBench(repoDir, workDir, file, objectId, runs, log, { profileDir = null } = {}) {
  const cacheHome = resolve(workDir, 'cache'); // keep the bench's fallback indexes out of the user's cache
  mkdirSync(cacheHome, { recursive: true });
  const env = { XDG_CACHE_HOME: cacheHome };
  const [besideIndex, cacheIndex] = indexPaths(file, cacheHome);
  const ref = `@${objectId}`;
  const warmScript = `load ${file}; summary; show ${ref}; retainers ${ref}; dominators ${ref}; cycles`;
  const cold = [];
  const warm = [];
  let failed = null;
  return {
    async run(i) {
      if (failed) return false;
      try {
        cold.push(await coldRun(i));
        warm.push(await warmRun(i));
        return true;
      } catch (e) {
        failed = e.message;
        log(`  gcsh failed: ${failed}`);
        return false;
      }
    },
    /** Remove the index files the runs wrote: the bench made them, and beside a user's snapshot they are clutter. */
    cleanup() {
      rmSync(besideIndex, { force: true });
      rmSync(cacheIndex, { force: true });
    },
    result() {
      if (failed || warm.length === 0) return { status: 'failed', reason: failed ?? 'no run', cold: { runs: cold }, warm: { runs: warm } };
      return { status: 'ok', objectRef: ref, node: process.version, cold: { runs: cold, median: summarizeCold(cold) }, warm: { runs: warm, median: summarizeWarm(warm) } };
    },
  };

  async function coldRun(i) {
    rmSync(besideIndex, { force: true });
    rmSync(cacheIndex, { force: true });
    log(`gcsh cold run ${i + 1}/${runs} …`);
    // With --profile, the first cold run also writes a V8 CPU profile (it costs a little time; fine for one run).
    const profiling = profileDir != null && i === 0;
    const flags = profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-name=gcsh-cold.cpuprofile'] : [];
    const c = await runGcsh(repoDir, env, `load ${file}`, 'cold', flags);
    const load = c.records.find((x) => x.command === 'load');
    const indexFile = [load.indexPath, besideIndex, cacheIndex].find((p) => typeof p === 'string' && existsSync(p));
    // `phases.total` repeats the load's own time; the report shows elapsedMs as the total instead.
    const { total: _total, ...phases } = load.phases ?? {};
    log(`  load ${(load.elapsedMs / 1000).toFixed(2)} s (fromIndex ${load.fromIndex}, CPU ${(c.cpuMs / 1000).toFixed(2)} s), peak RSS ${(c.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
    return {
      profiled: profiling,
      elapsedMs: load.elapsedMs,
      fromIndex: load.fromIndex,
      phases,
      indexFile: indexFile ?? null,
      indexBytes: indexFile ? statSync(indexFile).size : null,
      nodeCount: load.nodeCount,
      edgeCount: load.edgeCount,
      wallMs: c.wallMs,
      cpuMs: c.cpuMs,
      maxRssBytes: c.maxRssBytes,
    };
  }

  async function warmRun(i) {
    log(`gcsh warm run ${i + 1}/${runs} …`);
    const w = await runGcsh(repoDir, env, warmScript, 'warm');
    for (const e of w.errors) log(`  error: ${e}`);
    const byCommand = {};
    // A failed command has no meaningful time: leave it out (null) rather than report how fast it failed.
    for (const rec of w.records) if (byCommand[rec.command] === undefined && rec.ok !== false) byCommand[rec.command] = rec;
    const wl = byCommand.load;
    const cyc = byCommand.cycles;
    const shown = byCommand.show?.object;
    log(`  reopen ${wl?.elapsedMs?.toFixed(0)} ms (fromIndex ${wl?.fromIndex}), ${WARM_COMMANDS.map((cmd) => `${cmd} ${byCommand[cmd]?.elapsedMs?.toFixed(1) ?? '—'} ms`).join(', ')}`);
    return {
      reopenMs: wl?.elapsedMs ?? null,
      fromIndex: wl?.fromIndex ?? null,
      commands: Object.fromEntries(WARM_COMMANDS.map((cmd) => [cmd, byCommand[cmd]?.elapsedMs ?? null])),
      cycleCount: Array.isArray(cyc?.cycles) ? cyc.cycles.length : null,
      object: shown ? { id: shown.id, type: shown.type, selfSize: shown.selfSize, retainedSize: shown.retainedSize, distance: shown.distance, dominatorId: byCommand.show?.dominator?.id ?? null } : null,
      errors: w.errors,
      wallMs: w.wallMs,
      cpuMs: w.cpuMs,
      maxRssBytes: w.maxRssBytes,
    };
  }
}

function summarizeCold(all) {
  // A CPU-profiled run is slower than the others: leave it out of the medians when there are others.
  const unprofiled = all.filter((r) => !r.profiled);
  const cold = unprofiled.length > 0 ? unprofiled : all;
  const phaseNames = [...new Set(cold.flatMap((r) => Object.keys(r.phases)))];
  return {
    elapsedMs: median(cold.map((r) => r.elapsedMs)),
    wallMs: median(cold.map((r) => r.wallMs)),
    cpuMs: median(cold.map((r) => r.cpuMs)),
    maxRssBytes: median(cold.map((r) => r.maxRssBytes)),
    phases: Object.fromEntries(phaseNames.map((p) => [p, median(cold.map((r) => r.phases[p]))])),
    indexBytes: median(cold.map((r) => r.indexBytes)),
    allCold: cold.every((r) => r.fromIndex === false),
    nodeCount: cold[0].nodeCount,
    edgeCount: cold[0].edgeCount,
  };
}

function summarizeWarm(warm) {
  return {
    reopenMs: median(warm.map((r) => r.reopenMs)),
    allFromIndex: warm.every((r) => r.fromIndex === true),
    commands: Object.fromEntries(WARM_COMMANDS.map((cmd) => [cmd, median(warm.map((r) => r.commands[cmd]))])),
    cycleCount: warm[0].cycleCount,
    object: warm[0].object,
    errors: [...new Set(warm.flatMap((r) => r.errors))],
    wallMs: median(warm.map((r) => r.wallMs)),
    maxRssBytes: median(warm.map((r) => r.maxRssBytes)),
  };
}
