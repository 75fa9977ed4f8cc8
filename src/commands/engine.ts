// Layer 5 (commands): the engine every front door talks to — batch mode now, the Ink shell later (through a worker).
// It tokenizes one command, parses it against its spec, runs it, and returns a plain-data outcome with its timing.
import { performance } from 'node:perf_hooks';
import type { CancelToken, ProgressSink } from '../base/cancel.js';
import { neverCancelled, noProgress } from '../base/cancel.js';
import { GcshError } from '../base/errors.js';
import { argSpecOf, parseCommandArgs } from './args.js';
import { closestName } from './did-you-mean.js';
import { commandNames, commands, findCommand } from './registry.js';
import { Session } from './session.js';
import { tokenize } from './tokenizer.js';
import type { CommandOutcome, CommandResult, CommandSpec, ObjectRecord } from './types.js';

export interface RunOptions {
  readonly cancel?: CancelToken;
  readonly progress?: ProgressSink;
}

/** What completion needs to know, published after every command (cheap: names, not objects). */
export interface Vocabulary {
  readonly commands: readonly { readonly name: string; readonly aliases: readonly string[]; readonly summary: string; readonly flags: readonly string[] }[];
  /** Class/type names of the current snapshot with their retained sizes (for ranking big types first). */
  readonly classNames: readonly string[];
  readonly classRetainedSizes: readonly number[];
  readonly snapshotNames: readonly string[];
  /** References shown by the previous result (`$N` rows): display form and type. */
  readonly recentRefs: readonly { readonly ref: string; readonly type: string; readonly row: number }[];
  /** A one-line status: current snapshot, language, objects, references. */
  readonly status: { readonly snapshot: string | null; readonly language: string | null; readonly nodeCount: number; readonly edgeCount: number; readonly totalSize: number };
}

/** The engine as front doors see it; the Ink shell may get a worker-thread implementation of the same interface. */
export interface CommandEngine {
  run(commandText: string, options?: RunOptions): Promise<CommandOutcome>;
  vocabulary(): Vocabulary | Promise<Vocabulary>;
}

export class Engine implements CommandEngine {
  readonly session: Session;

  constructor(session: Session = new Session()) {
    this.session = session;
  }

  /** Run ONE command (callers split lines with splitCommands). Never throws: failures come back as outcomes. */
  async run(commandText: string, options: RunOptions = {}): Promise<CommandOutcome> {
    const started = performance.now();
    let commandName = commandText.trim().split(/\s+/)[0] ?? '';
    try {
      const tokens = tokenize(commandText);
      if (tokens.length === 0) throw new GcshError('bad-argument', 'empty command');
      const spec = findCommand(tokens[0]!.text);
      if (!spec) {
        const suggestion = closestName(tokens[0]!.text, commandNames());
        throw new GcshError('unknown-command', `unknown command '${tokens[0]!.text}'${suggestion ? ` — did you mean \`${suggestion}\`?` : ''} (\`help\` lists commands)`);
      }
      commandName = spec.name;
      const args = parseCommandArgs(spec.name, argSpecOf(spec), tokens.slice(1));
      const result = await spec.run(
        { session: this.session, cancel: options.cancel ?? neverCancelled, progress: options.progress ?? noProgress, line: commandText },
        args,
      );
      this.afterResult(spec, commandText, result);
      if (spec.name !== 'history') this.session.history.push(commandText);
      return { ok: true, command: spec.name, result, elapsedMs: performance.now() - started };
    } catch (error) {
      const known = error instanceof GcshError;
      const message = known ? error.message : error instanceof RangeError && /alloc|memory|length/i.test(error.message)
        ? `out of memory (${error.message}): gcsh needs about 1.5× the snapshot's size in free RAM`
        : `internal error: ${(error as Error)?.message ?? String(error)}`;
      return { ok: false, command: commandName, error: message, code: known ? error.code : 'internal', elapsedMs: performance.now() - started };
    }
  }

  vocabulary(): Vocabulary {
    const session = this.session;
    const current = session.hasCurrent() ? session.current() : null;
    let classNames: readonly string[] = [];
    let classRetainedSizes: number[] = [];
    if (current) {
      classNames = current.derived.classNames;
      classRetainedSizes = new Array<number>(classNames.length).fill(0);
      for (const aggregate of current.aggregates()) classRetainedSizes[aggregate.classIndex] = aggregate.retainedSize;
    }
    return {
      commands: commands.map((spec) => ({ name: spec.name, aliases: spec.aliases ?? [], summary: spec.summary, flags: argSpecOf(spec).flags.map((flag) => flag.name) })),
      classNames,
      classRetainedSizes,
      snapshotNames: session.snapshots.map((s) => s.name),
      recentRefs: session.previousRows.map((row, i) => ({ ref: row.ref, type: row.type, row: session.previousRowOffset + i + 1 })),
      status: current
        ? { snapshot: current.name, language: current.language, nodeCount: current.store.nodeCount, edgeCount: current.store.edgeCount, totalSize: current.derived.totalSize }
        : { snapshot: null, language: null, nodeCount: 0, edgeCount: 0, totalSize: 0 },
    };
  }

  /** Remember rows for `$N` and the pager cursor for `more`. */
  private afterResult(spec: CommandSpec, commandText: string, result: CommandResult): void {
    const { rows, page } = objectRowsOf(result);
    if (rows !== null) this.session.rememberRows(rows, page?.offset ?? 0);
    if (spec.name === 'more') return;
    if (spec.pageable && page && page.offset + page.shown < page.total) {
      this.session.pager = { line: commandText.replace(/\s--offset(=|\s+)\d+/g, ''), nextOffset: page.offset + page.shown, total: page.total };
    } else if (spec.pageable) {
      this.session.pager = null;
    }
  }
}

function objectRowsOf(result: CommandResult): { rows: ObjectRecord[] | null; page?: { offset: number; shown: number; total: number } } {
  switch (result.kind) {
    case 'table':
      return { rows: result.rows.flatMap((row) => (row.object ? [row.object] : [])), page: result.page };
    case 'object':
      return { rows: result.edges.map((e) => e.object), page: result.page };
    case 'edges':
      return { rows: result.edges.map((e) => e.object), page: result.page };
    case 'chain':
      return { rows: result.chain.slice() };
    case 'retainers': {
      const first = result.paths[0];
      return { rows: first ? first.map((step) => step.object) : [] };
    }
    case 'cycles':
      return { rows: result.cycles.map((cycle) => cycle.objects[0]!).filter(Boolean), page: result.page };
    default:
      return { rows: null };
  }
}
