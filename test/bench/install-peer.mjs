// Bench helper (not product code): installs pinned npm packages into their own folder under test/bench/work/,
// never into the product's dependencies, and reuses the folder when the packages are already there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Make sure `dir/node_modules` holds `specs` (e.g. ['typescript@5.9.3']). `probe` is a path relative to `dir`
 * whose existence means the install is done. Install scripts are never run: the bench needs no native builds or
 * browser downloads (memlab pulls in puppeteer), and `PUPPETEER_SKIP_DOWNLOAD=1` is set as a second guard.
 * Returns the installed versions read back from each package.json.
 */
export function ensureNpmFolder(dir, specs, probe, log) {
  const marker = join(dir, '.bench-specs.json');
  const wanted = JSON.stringify(specs);
  const done = existsSync(join(dir, probe)) && existsSync(marker) && readFileSync(marker, 'utf8') === wanted;
  if (!done) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true, "description": "gcsh bench peer folder" }\n');
    log(`installing ${specs.join(' ')} into ${dir} …`);
    const started = performance.now();
    const r = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error', ...specs],
      { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' } },
    );
    if (r.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed in ${dir} (exit ${r.status})`);
    writeFileSync(marker, wanted);
    log(`  installed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const versions = {};
  for (const spec of specs) {
    const name = spec.slice(0, spec.lastIndexOf('@') > 0 ? spec.lastIndexOf('@') : spec.length);
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'));
    versions[name] = pkg.version;
  }
  return versions;
}
