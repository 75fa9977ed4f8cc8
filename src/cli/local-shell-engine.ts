// Layer 8 (cli): the shell's engine port over an in-process Engine — what the worker thread runs, and what tests
// and a worker-less fallback use directly. Adds to the engine's vocabulary what completion needs to know about
// arguments (which positional completes what, flag choices, switches), read from the command registry.
import { CancelSource, type CancelToken, type ProgressSink } from '../base/cancel.js';
import { Engine } from '../commands/engine.js';
import { findCommand } from '../commands/registry.js';
import type { CommandOutcome } from '../commands/types.js';
import type { ShellCommandInfo, ShellEngine, ShellVocabulary } from '../ui/shell-engine.js';

/** The engine's vocabulary plus per-command argument information from the registry. */
export function shellVocabularyOf(engine: Engine): ShellVocabulary {
  const vocabulary = engine.vocabulary();
  const commands: ShellCommandInfo[] = vocabulary.commands.map((command) => {
    const spec = findCommand(command.name);
    if (!spec) return command;
    const flagChoices: Record<string, readonly string[]> = {};
    const flagCompletes: Record<string, string> = {};
    for (const flag of spec.args.flags) {
      if (flag.choices) flagChoices[flag.name] = flag.choices;
      if (flag.completes) flagCompletes[flag.name] = flag.completes;
    }
    return {
      ...command,
      positionals: spec.args.positionals.map((p) => (p.completes ? { name: p.name, completes: p.completes } : { name: p.name })),
      flagChoices,
      flagCompletes,
      switches: spec.args.flags.filter((flag) => flag.kind === 'boolean').map((flag) => flag.name),
    };
  });
  return { ...vocabulary, commands };
}

/** ShellEngine over an Engine in this thread. Long commands block the caller's thread: the UI uses WorkerEngine. */
export class LocalShellEngine implements ShellEngine {
  readonly engine: Engine;
  private cancelSource: CancelSource | null = null;

  constructor(engine: Engine = new Engine()) {
    this.engine = engine;
  }

  async run(commandText: string, progress: ProgressSink, cancel?: CancelToken): Promise<CommandOutcome> {
    const source = new CancelSource();
    this.cancelSource = source;
    const token: CancelToken = cancel ? { get cancelled() { return source.cancelled || cancel.cancelled; } } : source;
    try {
      return await this.engine.run(commandText, { cancel: token, progress });
    } finally {
      if (this.cancelSource === source) this.cancelSource = null;
    }
  }

  cancel(): void {
    this.cancelSource?.cancel();
  }

  async vocabulary(): Promise<ShellVocabulary> {
    return shellVocabularyOf(this.engine);
  }
}
