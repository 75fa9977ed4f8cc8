// Layer 7 (ui): the engine as the Ink shell sees it — run one command with progress, cancel it, read the completion
// vocabulary. Implemented in-process for tests and by a worker thread in cli/worker-engine.ts.
import type { ProgressSink } from '../base/cancel.js';
import type { Vocabulary } from '../commands/engine.js';
import type { CommandOutcome } from '../commands/types.js';

/** A command as completion knows it: Vocabulary's entry plus what its arguments complete with. */
export interface ShellCommandInfo {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly flags: readonly string[];
  /** Positional arguments in order, with what each completes (`class`, `snapshot`, `ref`, `command`, `file`). */
  readonly positionals?: readonly { readonly name: string; readonly completes?: string }[];
  /** Accepted values of flags that take one (`--by count|self|retained`). */
  readonly flagChoices?: Readonly<Record<string, readonly string[]>>;
  /** What the value of a flag completes with (`--type T` → `class`). */
  readonly flagCompletes?: Readonly<Record<string, string>>;
  /** Flags that take no value (booleans), so the next word is a positional again. */
  readonly switches?: readonly string[];
}

export interface ShellVocabulary extends Vocabulary {
  readonly commands: readonly ShellCommandInfo[];
}

export interface ShellEngine {
  /** Run ONE command (the UI splits lines on `;`). Never rejects: failures, cancellation and a dead worker come back as outcomes. */
  run(commandText: string, progress: ProgressSink): Promise<CommandOutcome>;
  /** Ask the running command to stop at its next cancellation check. */
  cancel(): void;
  /** Stop a command that ignores cancellation (the second Ctrl-C): the worker is replaced and its session lost. */
  abort?(): void;
  /** What completion and the status line need, as of the last finished command. */
  vocabulary(): Promise<ShellVocabulary>;
  /** Messages that belong to no command (the engine worker died while idle and was restarted). */
  onNotice?(listener: (text: string) => void): () => void;
}

export const emptyVocabulary: ShellVocabulary = {
  commands: [],
  classNames: [],
  classRetainedSizes: [],
  snapshotNames: [],
  recentRefs: [],
  status: { snapshot: null, language: null, nodeCount: 0, edgeCount: 0, totalSize: 0 },
};
