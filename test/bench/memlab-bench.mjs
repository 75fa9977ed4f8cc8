// Bench helper (not product code): installs memlab's heap-analysis into its own folder and times
// getFullHeapFromFile on the bench snapshot, one fresh Node process per run (same Node as the product).
import { join } from 'node:path';
import { ensureNpmFolder } from './install-peer.mjs';
import { runMeasured } from './run-child.mjs';
import { median } from './stats.mjs';

export const MEMLAB_SPEC = '@memlab/heap-analysis@2.0.5';
// memlab keeps the whole parsed graph as JS objects and typed arrays; give it room so it can finish.
const MEMLAB_OLD_SPACE_MB = 16384;

/**
 * A memlab bench on `file`: `run(i)` does one measured run (false once memlab has failed), `result()` gives
 * {status: 'ok', version, runs[], median} or {status: 'failed', reason}. Runs are driven from outside so the
 * bench can interleave them with gcsh's: on a shared machine both then see the same background load.
 */
export function memlabBench(workDir, file, runs, log, objectId = null) {
  const dir = join(workDir, 'memlab');
  const child = join(import.meta.dirname, 'memlab-child.cjs');
  const results = [];
  let version = null;
  let failed = null;
  try {
    version = ensureNpmFolder(dir, [MEMLAB_SPEC], 'node_modules/@memlab/heap-analysis/package.json', log)['@memlab/heap-analysis'];
  } catch (e) {
    failed = `install: ${e.message}`;
  }
  return {
    async run(i) {
      if (failed) return false;
      log(`memlab run ${i + 1}/${runs} …`);
      const r = await runMeasured(process.execPath, [`--max-old-space-size=${MEMLAB_OLD_SPACE_MB}`, child, dir, file, ...(objectId == null ? [] : [String(objectId)])]);
      const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (r.code !== 0 || !line) {
        failed = `run ${i + 1}: ${(r.stderr.trim().split('\n').pop() ?? '') || `exit ${r.code ?? r.signal}`}`;
        log(`  memlab failed: ${failed}`);
        return false;
      }
      const inner = JSON.parse(line.slice('BENCH_RESULT '.length));
      const run = { ...inner, wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssBytes: r.maxRssBytes ?? inner.maxRssBytes };
      log(`  ${(run.elapsedMs / 1000).toFixed(2)} s (CPU ${(run.cpuMs / 1000).toFixed(2)} s), peak RSS ${(run.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
      results.push(run);
      return true;
    },
    result() {
      if (failed || results.length === 0) return { status: 'failed', reason: failed ?? 'no run', version, runs: results };
      return { status: 'ok', version, node: results[0].node, oldSpaceMb: MEMLAB_OLD_SPACE_MB, runs: results, median: summarize(results) };
    },
  };
}

function summarize(results) {
  const phaseNames = Object.keys(results[0].phases);
  const stepNames = results[0].steps.map((st) => st.step);
  const stepMs = (r, name) => r.steps.find((st) => st.step === name)?.ms;
  return {
    elapsedMs: median(results.map((r) => r.elapsedMs)),
    wallMs: median(results.map((r) => r.wallMs)),
    cpuMs: median(results.map((r) => r.cpuMs)),
    maxRssBytes: median(results.map((r) => r.maxRssBytes)),
    phases: Object.fromEntries(phaseNames.map((p) => [p, median(results.map((r) => r.phases[p] ?? 0))])),
    steps: Object.fromEntries(stepNames.map((name) => [name, median(results.map((r) => stepMs(r, name)))])),
    nodeCount: results[0].nodeCount,
    edgeCount: results[0].edgeCount,
    object: results[0].object ?? null,
  };
}
