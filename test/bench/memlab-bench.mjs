// Bench helper (not product code): installs memlab's heap-analysis into its own folder and times
// getFullHeapFromFile on the bench snapshot, one fresh Node process per run (same Node as the product).
import { join } from 'node:path';
import { ensureNpmFolder } from './install-peer.mjs';
import { runMeasured } from './run-child.mjs';
import { median } from './stats.mjs';

export const MEMLAB_SPEC = '@memlab/heap-analysis@2.0.5';
// memlab keeps the whole parsed graph as JS objects and typed arrays; give it room so it can finish.
const MEMLAB_OLD_SPACE_MB = 16384;

/** Run memlab `runs` times on `file`; returns {status, version, runs[], median} or {status: 'failed', reason}. */
export async function benchMemlab(workDir, file, runs, log) {
  const dir = join(workDir, 'memlab');
  let versions;
  try {
    versions = ensureNpmFolder(dir, [MEMLAB_SPEC], 'node_modules/@memlab/heap-analysis/package.json', log);
  } catch (e) {
    return { status: 'failed', reason: `install: ${e.message}` };
  }
  const child = join(import.meta.dirname, 'memlab-child.cjs');
  const results = [];
  for (let i = 0; i < runs; i++) {
    log(`memlab run ${i + 1}/${runs} …`);
    const r = await runMeasured(process.execPath, [`--max-old-space-size=${MEMLAB_OLD_SPACE_MB}`, child, dir, file]);
    const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (r.code !== 0 || !line) {
      const why = (r.stderr.trim().split('\n').pop() ?? '') || `exit ${r.code ?? r.signal}`;
      return { status: 'failed', reason: `run ${i + 1}: ${why}`, version: versions['@memlab/heap-analysis'], runs: results };
    }
    const inner = JSON.parse(line.slice('BENCH_RESULT '.length));
    const run = { ...inner, wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssBytes: r.maxRssBytes ?? inner.maxRssBytes };
    log(`  ${(run.elapsedMs / 1000).toFixed(2)} s, peak RSS ${(run.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
    results.push(run);
  }
  const phaseNames = Object.keys(results[0].phases);
  const stepNames = results[0].steps.map((st) => st.step);
  const stepMs = (r, name) => r.steps.find((st) => st.step === name)?.ms;
  return {
    status: 'ok',
    version: versions['@memlab/heap-analysis'],
    node: results[0].node,
    oldSpaceMb: MEMLAB_OLD_SPACE_MB,
    runs: results,
    median: {
      elapsedMs: median(results.map((r) => r.elapsedMs)),
      wallMs: median(results.map((r) => r.wallMs)),
      cpuMs: median(results.map((r) => r.cpuMs)),
      maxRssBytes: median(results.map((r) => r.maxRssBytes)),
      phases: Object.fromEntries(phaseNames.map((p) => [p, median(results.map((r) => r.phases[p] ?? 0))])),
      steps: Object.fromEntries(stepNames.map((name) => [name, median(results.map((r) => stepMs(r, name)))])),
      nodeCount: results[0].nodeCount,
      edgeCount: results[0].edgeCount,
    },
  };
}
