// Layer 5 (commands): the shapes every command shares — its spec, its context, and the plain-data results that
// render/text and render/json turn into output. One registry of these specs serves batch mode, the Ink shell,
// completion and the generated docs.
import type { CancelToken, ProgressSink } from '../base/cancel.js';
import type { Session } from './session.js';

export type CommandCategory = 'session' | 'inspect' | 'roots' | 'garbage' | 'growth' | 'live' | 'teach';

/** A positional argument or a flag of a command. */
export interface OptionSpec {
  /** Flag name without dashes (`limit`), or the positional's display name (`REF`). */
  readonly name: string;
  readonly kind: 'string' | 'number' | 'boolean' | 'ref';
  readonly summary: string;
  /** Positionals only: may be absent. */
  readonly optional?: boolean;
  /** Positionals only: takes the rest of the line (e.g. a pattern with spaces). */
  readonly rest?: boolean;
  readonly default?: string | number | boolean;
  /** Accepted values, for validation and completion. */
  readonly choices?: readonly string[];
  /** What to complete this argument with. */
  readonly completes?: 'command' | 'class' | 'snapshot' | 'file' | 'ref';
}

export interface ArgSpec {
  readonly positionals: readonly OptionSpec[];
  readonly flags: readonly OptionSpec[];
}

/** Parsed arguments: positionals and flags by name. `rawRefs` keeps the token text of ref arguments. */
export type ParsedArgs = Record<string, string | number | boolean | undefined>;

export interface CommandContext {
  readonly session: Session;
  readonly cancel: CancelToken;
  readonly progress: ProgressSink;
  /** The line as typed, for `more` to re-run with an offset. */
  readonly line: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly category: CommandCategory;
  /** One line, shown beside completions and in `help`. */
  readonly summary: string;
  readonly usage: string;
  /** Long form; may span several lines. */
  readonly help: string;
  /** Runnable examples (they run against fixtures in tests). */
  readonly examples: readonly string[];
  readonly seeAlso?: readonly string[];
  readonly args: ArgSpec;
  /** Whether `more` can continue this command's output (it re-runs it with an offset). */
  readonly pageable?: boolean;
  run(ctx: CommandContext, args: ParsedArgs): Promise<CommandResult> | CommandResult;
}

/** One heap object as every result shows it (SPEC §5 record fields). */
export interface ObjectRecord {
  readonly id: number;
  /** Display form: `@123` (V8) or `0x7f…` (Python). */
  readonly ref: string;
  /** Class/type name (DevTools class key for V8; qualified type for Python). */
  readonly type: string;
  /** V8 node name, or Python qualified type name. */
  readonly name: string;
  /** Node kind (V8 `object`, `closure`, …; Python the store kind). */
  readonly kind: string;
  readonly selfSize: number;
  readonly retainedSize?: number;
  /** Distance from the nearest root in edges; absent when unreachable. */
  readonly distance?: number;
  /** Python: the safe repr the agent recorded. V8: a short value for strings/numbers/closures. */
  readonly repr?: string;
  /** Snapshot the object belongs to, and its ordinal there (not shown; used by `$N`). */
  readonly snapshot: string;
  readonly ordinal: number;
}

export interface Column {
  readonly key: string;
  readonly title: string;
  readonly align?: 'left' | 'right';
  readonly format?: 'bytes' | 'count' | 'text' | 'signedBytes' | 'signedCount';
}

export type Cell = string | number | boolean | null | undefined;

export interface TableRow {
  readonly cells: Readonly<Record<string, Cell>>;
  /** The object this row names (so `$N` can pick it), when it names one. */
  readonly object?: ObjectRecord;
  /** Extra JSON-only fields. */
  readonly json?: Readonly<Record<string, unknown>>;
}

/** Position of a page in a longer list. */
export interface Page {
  readonly offset: number;
  readonly shown: number;
  readonly total: number;
}

/** An edge as shown between two objects. */
export interface EdgeView {
  readonly kind: string;
  /** Access-style label: `.attr`, `['key']`, `[3]`, `local 'x'`, `closure 'v'`, `context 'v'`, `map`. */
  readonly label: string;
}

export interface PathStep {
  readonly object: ObjectRecord;
  /** The edge from the previous step to this object (absent on the first, root step). */
  readonly edge?: EdgeView;
}

export interface RetainerTreeNode {
  readonly object: ObjectRecord;
  /** The edge from this retainer to its child in the tree (towards the target). */
  readonly edge?: EdgeView;
  readonly children: readonly RetainerTreeNode[];
  /** The retainer is already on the path from the target: a cycle, not expanded. */
  readonly cycle?: boolean;
  /** Children not shown because of --depth or the sibling cap. */
  readonly truncatedChildren?: number;
}

export interface CycleView {
  readonly objects: readonly ObjectRecord[];
  /** Members not listed. */
  readonly moreObjects: number;
  readonly objectCount: number;
  /** Σ self sizes of the members. */
  readonly size: number;
  readonly retainedSize: number;
  /** Python: a collection would free it. */
  readonly garbage: boolean;
  /** Edges around the cycle when it is a single shortest cycle (`cycles REF`). */
  readonly edges?: readonly EdgeView[];
}

export type CommandResult =
  | { readonly kind: 'table'; readonly title?: string; readonly preface?: readonly string[]; readonly columns: readonly Column[]; readonly rows: readonly TableRow[]; readonly page: Page; readonly jsonKey: 'rows' | 'objects'; readonly notes?: readonly string[]; readonly extra?: Readonly<Record<string, unknown>> }
  | { readonly kind: 'object'; readonly object: ObjectRecord; readonly fields: readonly (readonly [string, string])[]; readonly flags: readonly string[]; readonly edges: readonly { readonly edge: EdgeView; readonly object: ObjectRecord }[]; readonly page: Page; readonly extra?: Readonly<Record<string, unknown>> }
  | { readonly kind: 'edges'; readonly direction: 'referents' | 'retainers'; readonly object: ObjectRecord; readonly edges: readonly { readonly edge: EdgeView; readonly object: ObjectRecord }[]; readonly page: Page }
  | { readonly kind: 'retainers'; readonly target: ObjectRecord; readonly paths: readonly (readonly PathStep[])[]; readonly tree: RetainerTreeNode; readonly notes: readonly string[] }
  | { readonly kind: 'chain'; readonly target: ObjectRecord; readonly chain: readonly ObjectRecord[] }
  | { readonly kind: 'cycles'; readonly cycles: readonly CycleView[]; readonly page: Page; readonly notes: readonly string[] }
  | { readonly kind: 'message'; readonly text: string; readonly data?: Readonly<Record<string, unknown>> }
  | { readonly kind: 'help'; readonly text: string; readonly data: Readonly<Record<string, unknown>> }
  | { readonly kind: 'quit' };

/** A command's outcome as the engine returns it: the result or the error, with its timing. */
export type CommandOutcome =
  | { readonly ok: true; readonly command: string; readonly result: CommandResult; readonly elapsedMs: number }
  | { readonly ok: false; readonly command: string; readonly error: string; readonly code: string; readonly elapsedMs: number; readonly hint?: string };
