// Bench helper (not product code): the functions with the most self time in a V8 .cpuprofile, for `--profile`.
import { readFileSync } from 'node:fs';

/** Top `limit` functions by self time: [{fn, where, ms}], plus the profile's total sampled ms. */
export function cpuProfileTop(file, limit = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'}\t${url.replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const totalMs = [...byFunction.values()].reduce((a, b) => a + b, 0) / 1000;
  const top = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => {
      const [fn, where] = key.split('\t');
      return { fn, where, ms: us / 1000 };
    });
  return { totalMs, top };
}
