// Bench helper (not product code): runs one measured Node child process and returns its output, wall time and
// peak RSS (from rss-probe.mjs, summed over every Node process it started: a conservative peak).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PROBE = pathToFileURL(join(import.meta.dirname, 'rss-probe.mjs')).href;

/** Run `nodeBin args…` (with `env` added to this process's environment); resolves {code, signal, stdout, stderr, wallMs, maxRssBytes, cpuMs, processes}. */
export function runMeasured(nodeBin, args, { cwd, env: extraEnv = {}, timeoutMs = 30 * 60_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gcsh-bench-'));
  const rssFile = join(dir, 'rss.jsonl');
  const env = {
    ...process.env,
    ...extraEnv,
    BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PROBE}`.trim(),
  };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(nodeBin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      let processes = [];
      try {
        processes = readFileSync(rssFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      } catch {
        // no probe line: the child died before its exit handler (killed, OOM)
      }
      rmSync(dir, { recursive: true, force: true });
      const maxRssBytes = processes.length ? processes.reduce((s, p) => s + p.maxRssBytes, 0) : null;
      const cpuMs = processes.length ? processes.reduce((s, p) => s + p.cpuMs, 0) : null;
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs,
        maxRssBytes,
        cpuMs,
        processes: processes.length,
      });
    });
  });
}
