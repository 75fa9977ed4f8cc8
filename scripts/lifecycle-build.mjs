// The build behind npm's two lifecycle hooks in package.json (run by npm, not by hand: `npm run build` is the build):
// - prepack (npm pack, npm publish, installs from git): a clean build, so the tarball holds the current sources' output
//   and no module left behind in dist/ by a source since renamed or deleted;
// - prepare (a plain `npm install` or `npm ci` in a clone): builds dist/ so that `npx gcsh` works right after it. npm
//   also runs prepare right after prepack when it packs or publishes; prepack has just built, so that run is skipped.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const event = process.env.npm_lifecycle_event;
if (event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);
if (event === 'prepack') rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
