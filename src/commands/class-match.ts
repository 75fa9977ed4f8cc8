// Layer 5 (commands): resolve a type/class name the way SPEC §3 says — exact, case-insensitive, then fuzzy with a
// "did you mean" — against the current snapshot's class names.
import { GcshError } from '../base/errors.js';
import { rankNames } from './did-you-mean.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';

/** Class indexes whose name matches `pattern`: the exact/case-insensitive match, else an error with suggestions. */
export function resolveClassName(snapshot: LoadedSnapshot, name: string): number {
  const names = snapshot.derived.classNames;
  const ranked = rankNames(name, names, { limit: 5 });
  const best = ranked[0];
  if (best && (best.tier === 'exact' || best.tier === 'case')) return best.index;
  const suggestions = ranked.map((r) => r.name);
  throw new GcshError('bad-argument', `no type '${name}' in snapshot '${snapshot.name}'${suggestions.length ? ` — did you mean ${suggestions.slice(0, 3).map((s) => `'${s}'`).join(', ')}?` : ''}`);
}

/** Class indexes matching a summary filter: substring (case-insensitive) first, else fuzzy. */
export function classesMatching(snapshot: LoadedSnapshot, pattern: string): Set<number> {
  const names = snapshot.derived.classNames;
  const lower = pattern.toLowerCase();
  const matches = new Set<number>();
  names.forEach((name, index) => {
    if (name.toLowerCase().includes(lower)) matches.add(index);
  });
  if (matches.size > 0) return matches;
  for (const ranked of rankNames(pattern, names, { limit: 50 })) matches.add(ranked.index);
  return matches;
}
