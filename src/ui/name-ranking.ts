// Layer 7 (ui): per-keystroke ranking of one set of names (type names, snapshot names, choices) in the tiers SPEC §3
// uses for resolving names: exact → case-insensitive exact → prefix → fuzzy (fuzzysort), big weights first inside a
// tier. Lowercased names and fuzzysort's prepared targets are built once per set, never per keystroke.
import fuzzysort, { type Prepared } from 'fuzzysort';


export type RankTier = 0 | 1 | 2 | 3;

export interface RankedIndex {
  readonly index: number;
  /** 0 exact, 1 case-insensitive exact, 2 prefix, 3 fuzzy. */
  readonly tier: RankTier;
  /** Positions of the matched characters in the name (for bold highlighting). */
  readonly matches: readonly number[];
}

export interface RankedNames {
  readonly items: readonly RankedIndex[];
  /** How many names matched at all (before the limit), for "8 of 1,234". */
  readonly total: number;
  /** Fuzzy matching was skipped (the list was full of better matches): `total` counts only exact and prefix ones. */
  readonly partial: boolean;
}

/** Fuzzy matches scoring below this are noise; abbreviations such as `rqctx` for RequestContext score about 0.27. */
const fuzzyThreshold = 0.2;

export class NameSet {
  readonly names: readonly string[];
  private readonly lower: readonly string[];
  private readonly weights: ArrayLike<number> | undefined;
  /** Prepared targets, and each name's index (fuzzysort is about twice as fast on bare targets as with a key). */
  private prepared: Prepared[] | null = null;
  private indexOfName: Map<string, number> | null = null;

  /** `weights[i]` orders names inside a tier, largest first (retained bytes for type names). */
  constructor(names: readonly string[], weights?: ArrayLike<number>) {
    this.names = names;
    this.weights = weights;
    this.lower = names.map((name) => name.toLowerCase());
  }

  get size(): number {
    return this.names.length;
  }

  /** Rank against `query`; an empty query lists every name by weight. */
  rank(query: string, limit: number): RankedNames {
    const names = this.names;
    const lower = this.lower;
    const q = query.toLowerCase();
    const tiers = new Uint8Array(names.length);
    const exact: number[] = [];
    const prefix: number[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = lower[i]!;
      if (!name.startsWith(q)) continue;
      if (name.length === q.length) {
        exact.push(i);
        tiers[i] = names[i] === query ? 1 : 2;
      } else {
        prefix.push(i);
        tiers[i] = 3;
      }
    }
    const compare = (a: number, b: number): number => {
      if (tiers[a] !== tiers[b]) return tiers[a]! - tiers[b]!;
      return this.compareInTier(a, b);
    };
    exact.sort(compare);
    const prefixTop = topK(prefix, limit, (a, b) => this.compareInTier(a, b));
    const items: RankedIndex[] = [];
    const prefixMatches = Array.from({ length: query.length }, (_, i) => i);
    for (const i of exact) items.push({ index: i, tier: names[i] === query ? 0 : 1, matches: prefixMatches });
    for (const i of prefixTop) items.push({ index: i, tier: 2, matches: prefixMatches });
    let total = exact.length + prefix.length;
    // Fuzzy results rank below every prefix match, so they are only needed when the list is not full yet; and a
    // one-letter query matches nearly every name fuzzily (fuzzysort over 50k names then costs tens of ms a key).
    const needFuzzy = q.length >= 2 && items.length < limit;
    if (needFuzzy) {
      const wanted = limit - items.length;
      const fuzzy = fuzzysort.go(query, this.fuzzyTargets(), { threshold: fuzzyThreshold, limit: wanted + exact.length + prefix.length });
      const indexOf = this.indexOfName!;
      let extra = 0;
      for (const result of fuzzy) {
        const index = indexOf.get(result.target)!;
        if (tiers[index] !== 0) continue;
        extra++;
        if (items.length < limit) items.push({ index, tier: 3, matches: result.indexes });
      }
      // fuzzysort counts matches past its limit too, prefix ones included: the larger count is the better one.
      total = Math.max(total + extra, fuzzy.total);
    }
    return { items: items.slice(0, limit), total, partial: q.length > 0 && !needFuzzy };
  }

  private compareInTier(a: number, b: number): number {
    if (this.weights) {
      const byWeight = this.weights[b]! - this.weights[a]!;
      if (byWeight !== 0) return byWeight;
    }
    const na = this.names[a]!;
    const nb = this.names[b]!;
    if (na.length !== nb.length) return na.length - nb.length;
    return na < nb ? -1 : na > nb ? 1 : 0;
  }

  /** Prepare every name for fuzzy matching now (idle time after a load) rather than on the first fuzzy keystroke. */
  warm(): void {
    this.fuzzyTargets();
  }

  private fuzzyTargets(): Prepared[] {
    // Built on the first fuzzy query (or warm()) rather than in the constructor: most sets (snapshot names, choices)
    // never need it, and for 50k type names it costs ~150 ms that a load should not pay up front.
    if (!this.prepared) {
      this.prepared = this.names.map((name) => fuzzysort.prepare(name));
      // Names are distinct per snapshot (class names); should one repeat, its first index stands for both.
      const indexOf = new Map<string, number>();
      for (let i = this.names.length - 1; i >= 0; i--) indexOf.set(this.names[i]!, i);
      this.indexOfName = indexOf;
    }
    return this.prepared;
  }
}

/** The k smallest items under `compare`, sorted; O(n log k) instead of sorting thousands of prefix matches. */
function topK(items: number[], k: number, compare: (a: number, b: number) => number): number[] {
  if (items.length <= k * 4) return items.sort(compare).slice(0, k);
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && compare(item, best[at - 1]!) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}
