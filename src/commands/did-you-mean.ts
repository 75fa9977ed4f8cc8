// Layer 5 (commands): ranking names exact → case-insensitive → prefix → fuzzy (SPEC §3), shared by "did you mean"
// messages, type-name resolution and completion.
import fuzzysort from 'fuzzysort';

export type MatchTier = 'exact' | 'case' | 'prefix' | 'fuzzy';

export interface RankedName {
  readonly name: string;
  readonly index: number;
  readonly tier: MatchTier;
  readonly score: number;
}

const tierOrder: Record<MatchTier, number> = { exact: 0, case: 1, prefix: 2, fuzzy: 3 };

/**
 * Rank `names` against `query`: exact, then case-insensitive exact, then case-insensitive prefix, then fuzzy
 * (fuzzysort). Inside a tier, the optional weight (e.g. retained bytes) then shorter names win.
 */
export function rankNames(query: string, names: readonly string[], options: { limit?: number; weight?: (index: number) => number; fuzzyThreshold?: number } = {}): RankedName[] {
  const limit = options.limit ?? 20;
  const lower = query.toLowerCase();
  const ranked: RankedName[] = [];
  const seen = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let tier: MatchTier | null = null;
    if (name === query) tier = 'exact';
    else {
      const nameLower = name.toLowerCase();
      if (nameLower === lower) tier = 'case';
      else if (lower !== '' && nameLower.startsWith(lower)) tier = 'prefix';
    }
    if (tier !== null) {
      ranked.push({ name, index: i, tier, score: 1 });
      seen[i] = 1;
    }
  }
  if (query !== '') {
    const targets = names.map((name, index) => ({ name, index }));
    const fuzzy = fuzzysort.go(query, targets, { key: 'name', threshold: options.fuzzyThreshold ?? 0.3, limit: limit * 4 });
    for (const result of fuzzy) {
      if (seen[result.obj.index]) continue;
      ranked.push({ name: result.obj.name, index: result.obj.index, tier: 'fuzzy', score: result.score });
    }
  }
  const weight = options.weight;
  ranked.sort((a, b) => {
    const byTier = tierOrder[a.tier] - tierOrder[b.tier];
    if (byTier !== 0) return byTier;
    if (a.tier === 'fuzzy' && b.score !== a.score) return b.score - a.score;
    if (weight) {
      const byWeight = weight(b.index) - weight(a.index);
      if (byWeight !== 0) return byWeight;
    }
    if (a.name.length !== b.name.length) return a.name.length - b.name.length;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return ranked.slice(0, limit);
}

/** The single best near match for an unknown name, for "did you mean …?" (undefined when nothing is close). */
export function closestName(query: string, names: readonly string[]): string | undefined {
  const best = rankNames(query, names, { limit: 1 })[0];
  if (best) return best.name;
  // fuzzysort needs the query's letters in order; catch typos such as transpositions by edit distance too.
  let bestName: string | undefined;
  let bestDistance = Math.max(2, Math.floor(query.length / 3)) + 1;
  for (const name of names) {
    const distance = editDistance(query.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      bestName = name;
    }
  }
  return bestName;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}
