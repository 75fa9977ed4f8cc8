// Bench helper (not product code): preloaded into every measured child through NODE_OPTIONS=--import, it appends
// this process's peak RSS to $BENCH_RSS_FILE when the process exits, so the harness reads an honest peak.
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.BENCH_RSS_FILE;
// NODE_OPTIONS preloads also run in worker threads, whose resourceUsage() is the whole process's: only the main
// thread reports, or a worker that ends by itself would count the process twice.
if (out && isMainThread) {
  process.on('exit', () => {
    // resourceUsage(): maxRSS in KiB (getrusage ru_maxrss), CPU times in microseconds. CPU time is reported
    // beside wall time because the bench machine may be shared: it is less disturbed by other load.
    const u = process.resourceUsage();
    const line = JSON.stringify({ pid: process.pid, maxRssBytes: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 });
    appendFileSync(out, line + '\n');
  });
}
