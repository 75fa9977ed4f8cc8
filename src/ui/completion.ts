// Layer 7 (ui): what to complete at the end of the prompt line, and the ranked candidates: command names (and
// aliases), flags of the current command, flag values, type names of the current snapshot (big retained sizes
// first), snapshot names and references from recent results. Pure: built once per vocabulary, queried per keystroke.
import { formatBytes } from '../base/format.js';
import { NameSet } from './name-ranking.js';
import type { ShellCommandInfo, ShellVocabulary } from './shell-engine.js';

export type CandidateKind = 'command' | 'flag' | 'value' | 'type' | 'snapshot' | 'ref' | 'file';

export interface Candidate {
  /** What replaces the word being completed (quoted when it holds spaces or quotes). */
  readonly text: string;
  /** The name as shown. */
  readonly label: string;
  readonly kind: CandidateKind;
  /** Dimmed beside the label: a command's summary, a type's retained size, a reference's type. */
  readonly detail: string;
  /** Positions in `label` that matched, shown bold. */
  readonly matches: readonly number[];
  /** Accepting it leaves the word open (a directory: `demo/`), so no space follows. */
  readonly continues?: boolean;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly directory: boolean;
}

/** Lists a directory for `load FILE` completion; empty when it cannot be read. */
export type ListDirectory = (path: string) => readonly DirectoryEntry[];

/** Files `load` can open; other files are not offered (directories always are). */
const snapshotFile = /\.(heapsnapshot|pyheap)(\.gz)?$/;

export interface Completion {
  /** Column where the word being completed starts; accepting replaces the line from here. */
  readonly from: number;
  readonly word: string;
  readonly items: readonly Candidate[];
  /** Matches before the limit. */
  readonly total: number;
  /** `total` counts only exact and prefix matches (fuzzy ones were not searched): show it as "1,234+". */
  readonly partial?: boolean;
}

export const noCompletion: Completion = { from: 0, word: '', items: [], total: 0 };

interface Word {
  readonly text: string;
  readonly start: number;
}

/** Completion over one vocabulary. Keep one per vocabulary: name sets are cached on first use. */
export class Completer {
  private readonly vocabulary: ShellVocabulary;
  private readonly commandByName = new Map<string, ShellCommandInfo>();
  private typeSet: NameSet | null = null;
  private snapshotSet: NameSet | null = null;
  private readonly choiceSets = new Map<readonly string[], NameSet>();
  private readonly listDirectory: ListDirectory | undefined;

  /** Without `listDirectory`, file arguments get no candidates (the UI passes one that reads the file system). */
  constructor(vocabulary: ShellVocabulary, listDirectory?: ListDirectory) {
    this.vocabulary = vocabulary;
    this.listDirectory = listDirectory;
    for (const command of vocabulary.commands) {
      for (const name of [command.name, ...command.aliases]) this.commandByName.set(name.toLowerCase(), command);
    }
  }

  /** Type names are shared across vocabularies of one snapshot, so a new vocabulary can reuse this one's index. */
  adoptTypesFrom(previous: Completer | null): void {
    if (previous && previous.vocabulary.classNames === this.vocabulary.classNames) this.typeSet = previous.typeSet;
  }

  /** Build the type names' fuzzy index now, in idle time, so the first fuzzy keystroke after a load is not slow. */
  warm(): void {
    if (this.vocabulary.classNames.length > 0) this.types().warm();
  }

  /**
   * Candidates for the word at the end of `line`. With `explicit` (Tab) an empty word lists everything that fits
   * there; while typing, an empty word offers nothing, so the list does not flicker on every space.
   */
  complete(line: string, limit = 8, explicit = false): Completion {
    const segmentStart = lastCommandStart(line);
    const words = splitWords(line, segmentStart);
    const current: Word = words.length > 0 && words[words.length - 1]!.start + words[words.length - 1]!.text.length === line.length
      ? words.pop()!
      : { text: '', start: line.length };
    if (current.text === '' && !explicit) return { ...noCompletion, from: current.start };
    if (current.text.startsWith('"') || current.text.startsWith("'")) return { ...noCompletion, from: current.start };
    const done = (items: readonly Candidate[], total: number, partial = false): Completion => ({ from: current.start, word: current.text, items, total, partial });

    if (words.length === 0) return this.completeCommands(current.text, limit, done);
    const command = this.commandByName.get(words[0]!.text.toLowerCase());
    if (!command) return done([], 0);
    const word = current.text;
    if (word.startsWith('-')) {
      const names = command.flags.map((flag) => `--${flag}`);
      return this.completeFrom(new NameSet(names), word, limit, 'flag', () => '', done);
    }
    const previous = words.length > 1 ? words[words.length - 1]!.text : '';
    if (previous.startsWith('--') && !previous.includes('=')) {
      const flag = previous.slice(2);
      const choices = command.flagChoices?.[flag];
      if (choices) return this.completeFrom(this.choiceSet(choices), word, limit, 'value', () => '', done);
      const flagKind = command.flagCompletes?.[flag];
      if (flagKind) return this.completeKind(flagKind, word, limit, done);
      if (!(command.switches ?? []).includes(flag) && command.flags.includes(flag)) return done([], 0);
    }
    if (word.startsWith('$') || word.startsWith('@') || word.startsWith('0x')) return this.completeRefs(word, limit, done);
    return this.completeKind(this.positionalKind(command, words.slice(1)), word, limit, done);
  }

  private completeKind(completes: string | undefined, word: string, limit: number, done: (items: readonly Candidate[], total: number, partial?: boolean) => Completion): Completion {
    switch (completes) {
      case 'class':
        return this.completeFrom(this.types(), word, limit, 'type', (i) => `${formatBytes(this.vocabulary.classRetainedSizes[i] ?? 0)} retained`, done);
      case 'snapshot':
        return this.completeFrom(this.snapshots(), word, limit, 'snapshot', () => '', done);
      case 'ref':
        return this.completeRefs(word, limit, done);
      case 'command':
        return this.completeCommands(word, limit, done);
      case 'file':
        return this.completeFiles(word, limit, done);
      default:
        return done([], 0);
    }
  }

  private positionalKind(command: ShellCommandInfo, args: readonly Word[]): string | undefined {
    // Without positional information (a plain engine vocabulary), type names are the useful default.
    if (!command.positionals) return 'class';
    let index = 0;
    for (let i = 0; i < args.length; i++) {
      const text = args[i]!.text;
      if (text.startsWith('--')) {
        const flag = text.slice(2);
        if (!flag.includes('=') && !(command.switches ?? []).includes(flag)) i++;
        continue;
      }
      index++;
    }
    const positionals = command.positionals;
    if (positionals.length === 0) return undefined;
    return positionals[Math.min(index, positionals.length - 1)]!.completes;
  }

  private completeCommands(word: string, limit: number, done: (items: readonly Candidate[], total: number) => Completion): Completion {
    // Tiers of notes §10: exact name > exact alias > name prefix > alias prefix > fuzzy; one row per command.
    const ranked: { command: ShellCommandInfo; tier: number; score: number; matches: readonly number[] }[] = [];
    const q = word.toLowerCase();
    for (const command of this.vocabulary.commands) {
      let best: { tier: number; score: number; matches: readonly number[] } | null = null;
      const prefixMatches = Array.from({ length: word.length }, (_, i) => i);
      const consider = (tier: number, score: number, matches: readonly number[]) => {
        if (!best || tier < best.tier || (tier === best.tier && score > best.score)) best = { tier, score, matches };
      };
      const name = command.name.toLowerCase();
      if (name === q) consider(0, 1, prefixMatches);
      else if (name.startsWith(q)) consider(2, 1, prefixMatches);
      // Bold the typed letters in the name when they also begin it (`ret` → retainers), even if an alias ranked it.
      const aliasMatches = name.startsWith(q) ? prefixMatches : [];
      for (const alias of command.aliases) {
        const a = alias.toLowerCase();
        if (a === q) consider(1, 1, aliasMatches);
        else if (a.startsWith(q)) consider(3, 1, aliasMatches);
      }
      if (!best && q !== '') {
        const fuzzy = fuzzyScore(word, command.name);
        if (fuzzy) consider(4, fuzzy.score, fuzzy.indexes);
        for (const alias of command.aliases) {
          const aliasFuzzy = fuzzyScore(word, alias);
          if (aliasFuzzy) consider(5, aliasFuzzy.score, []);
        }
      }
      if (best) ranked.push({ command, ...(best as { tier: number; score: number; matches: readonly number[] }) });
    }
    ranked.sort((a, b) => a.tier - b.tier || b.score - a.score || a.command.name.length - b.command.name.length || (a.command.name < b.command.name ? -1 : 1));
    const items = ranked.slice(0, limit).map(({ command, matches }) => ({
      text: command.name,
      label: command.name,
      kind: 'command' as const,
      detail: command.aliases.length > 0 ? `${command.summary} (${command.aliases.join(', ')})` : command.summary,
      matches,
    }));
    return done(items, ranked.length);
  }

  private completeRefs(word: string, limit: number, done: (items: readonly Candidate[], total: number) => Completion): Completion {
    // Only references already on screen: completing over every heap object would cost per keystroke (notes §10).
    const q = word.toLowerCase();
    const items: Candidate[] = [];
    let total = 0;
    for (const ref of this.vocabulary.recentRefs) {
      const row = `$${ref.row}`;
      const byRow = row.startsWith(q) || q === '';
      const byRef = ref.ref.toLowerCase().startsWith(q) && q !== '';
      if (!byRow && !byRef) continue;
      total++;
      if (items.length >= limit) continue;
      const text = byRef && !q.startsWith('$') ? ref.ref : row;
      items.push({ text, label: text, kind: 'ref', detail: text === row ? `${ref.ref} ${ref.type}` : `${row} ${ref.type}`, matches: Array.from({ length: word.length }, (_, i) => i) });
    }
    return done(items, total);
  }

  private completeFiles(word: string, limit: number, done: (items: readonly Candidate[], total: number) => Completion): Completion {
    if (!this.listDirectory) return done([], 0);
    const slash = word.lastIndexOf('/');
    const folder = word.slice(0, slash + 1);
    const base = word.slice(slash + 1);
    const entries = [...this.listDirectory(folder === '' ? '.' : folder)].filter(
      (entry) => (entry.directory || snapshotFile.test(entry.name)) && (!entry.name.startsWith('.') || base.startsWith('.')),
    );
    // Folders first, then files, each alphabetically (as `ls` shows them); prefix before fuzzy as everywhere.
    entries.sort((a, b) => Number(b.directory) - Number(a.directory) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const set = new NameSet(entries.map((entry) => entry.name), Float64Array.from(entries, (_, i) => -i));
    const ranked = set.rank(base, limit);
    const items = ranked.items.map(({ index, matches }) => {
      const entry = entries[index]!;
      const path = `${folder}${entry.name}${entry.directory ? '/' : ''}`;
      return { text: quoteIfNeeded(path), label: `${entry.name}${entry.directory ? '/' : ''}`, kind: 'file' as const, detail: entry.directory ? 'folder' : '', matches, ...(entry.directory ? { continues: true } : {}) };
    });
    return done(items, ranked.total);
  }

  private completeFrom(set: NameSet, word: string, limit: number, kind: CandidateKind, detail: (index: number) => string, done: (items: readonly Candidate[], total: number, partial?: boolean) => Completion): Completion {
    const ranked = set.rank(word, limit);
    const items = ranked.items.map(({ index, matches }) => {
      const name = set.names[index]!;
      return { text: quoteIfNeeded(name), label: name, kind, detail: detail(index), matches };
    });
    return done(items, ranked.total, ranked.partial);
  }

  private types(): NameSet {
    this.typeSet ??= new NameSet(this.vocabulary.classNames, this.vocabulary.classRetainedSizes);
    return this.typeSet;
  }

  private snapshots(): NameSet {
    this.snapshotSet ??= new NameSet(this.vocabulary.snapshotNames);
    return this.snapshotSet;
  }

  private choiceSet(choices: readonly string[]): NameSet {
    let set = this.choiceSets.get(choices);
    if (!set) {
      // Declared order (count, self, retained) beats alphabetical for a handful of values.
      set = new NameSet(choices, Float64Array.from(choices, (_, i) => -i));
      this.choiceSets.set(choices, set);
    }
    return set;
  }
}

/** Replace the completed word with the candidate; `final` adds the separating space. */
export function applyCandidate(line: string, completion: Completion, candidate: Candidate, final: boolean): string {
  return `${line.slice(0, completion.from)}${candidate.text}${final && !candidate.continues ? ' ' : ''}`;
}

function quoteIfNeeded(name: string): string {
  return /[\s;#"']/.test(name) ? `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : name;
}

/** Start of the last `;`-separated command, ignoring `;` inside quotes. */
function lastCommandStart(line: string): number {
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ';') start = i + 1;
  }
  return start;
}

function splitWords(line: string, from: number): Word[] {
  const words: Word[] = [];
  const pattern = /(?:"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|\S)+/g;
  pattern.lastIndex = from;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) words.push({ text: match[0], start: match.index });
  return words;
}

/** In-order subsequence match for the handful of command names (fuzzysort is for the large sets). */
function fuzzyScore(query: string, target: string): { score: number; indexes: number[] } | null {
  const q = query.toLowerCase();
  const t = target.toLowerCase();
  const indexes: number[] = [];
  let at = 0;
  for (const ch of q) {
    at = t.indexOf(ch, at);
    if (at < 0) return null;
    indexes.push(at++);
  }
  let gaps = 0;
  for (let i = 1; i < indexes.length; i++) gaps += indexes[i]! - indexes[i - 1]! - 1;
  return { score: 1 / (1 + gaps + indexes[0]!), indexes };
}
