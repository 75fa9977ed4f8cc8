// The build: dist/ from src/ (tsconfig.build.json), made from scratch each time so that no module left behind by a
// source since renamed or deleted can hide a broken import or end up in the package. npm runs it for:
// - `npm run build` (and `npm test`, which builds first);
// - prepack (npm pack, npm publish, installs from git): the tarball's build;
// - prepare (a plain `npm install` or `npm ci` in a clone), so that `npx gcsh` works right after it. npm also runs
//   prepare right after prepack when it packs or publishes; prepack has just built, so that run is skipped.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

if (process.env.npm_lifecycle_event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
