// Layer 8 (cli): a line-editing prompt over the engine for terminals, used until the Ink shell (issue #4) replaces
// it. Same engine and renderer as batch mode, with colour unless NO_COLOR is set.
import { createInterface } from 'node:readline';
import type { Engine } from '../commands/engine.js';
import { splitCommands } from '../commands/tokenizer.js';
import { renderOutcomeText } from '../render/text.js';

export async function runSimpleRepl(engine: Engine): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'gcsh> ', historySize: 1000 });
  const color = !process.env.NO_COLOR;
  process.stdout.write('gcsh — type `help` for commands, `quit` to leave.\n');
  rl.prompt();
  for await (const line of rl) {
    for (const command of splitCommands(line)) {
      const outcome = await engine.run(command);
      if (outcome.ok && outcome.result.kind === 'quit') {
        rl.close();
        return 0;
      }
      const text = renderOutcomeText(outcome, { width: process.stdout.columns ?? 100, color });
      if (text !== '') process.stdout.write(`${text}\n`);
    }
    rl.prompt();
  }
  return 0;
}
