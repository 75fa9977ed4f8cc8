// Layer 7 (batch): run commands from -e, --script or stdin through the engine and print plain text (no ANSI) or
// JSON Lines; stop at the first failure unless --keep-going; report the exit code SPEC §2 defines.
import type { Engine } from '../commands/engine.js';
import { splitCommands } from '../commands/tokenizer.js';
import type { CommandOutcome } from '../commands/types.js';
import { outcomeJson } from '../render/json.js';
import { renderOutcomeText } from '../render/text.js';

export interface BatchOptions {
  readonly json: boolean;
  readonly keepGoing: boolean;
  readonly width: number;
  /** Where results go (stdout). */
  readonly write: (text: string) => void;
  /** Where errors and notices go in text mode (stderr). */
  readonly writeError: (text: string) => void;
}

/** Exit codes of SPEC §2. */
export const ExitCode = { ok: 0, commandFailed: 1, usage: 2, assertFailed: 3 } as const;

/**
 * Run every command of `lines` (each line may hold several `;`-separated commands and `#` comments).
 * Returns the process exit code: 0 all succeeded, 1 a command failed, 3 an assert did not hold.
 */
export async function runBatch(engine: Engine, lines: AsyncIterable<string> | Iterable<string>, options: BatchOptions): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let printedAny = false;
  for await (const line of lines) {
    for (const command of splitCommands(line)) {
      const outcome = await engine.run(command);
      printOutcome(outcome, options, printedAny);
      printedAny = true;
      if (outcome.ok && outcome.result.kind === 'quit') return exitCode;
      if (!outcome.ok) {
        const code = outcome.code === 'assert-failed' ? ExitCode.assertFailed : ExitCode.commandFailed;
        if (exitCode === ExitCode.ok || code === ExitCode.assertFailed) exitCode = code;
        if (!options.keepGoing) return exitCode;
      }
    }
  }
  return exitCode;
}

function printOutcome(outcome: CommandOutcome, options: BatchOptions, separate: boolean): void {
  if (options.json) {
    options.write(`${JSON.stringify(outcomeJson(outcome))}\n`);
    return;
  }
  const text = renderOutcomeText(outcome, { width: options.width, color: false });
  if (!outcome.ok) {
    options.writeError(`${text}\n`);
    return;
  }
  if (text === '') return;
  options.write(`${separate ? '\n' : ''}${text}\n`);
}
