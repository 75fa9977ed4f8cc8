// Layer 5 (commands): `quit` — leave the shell (in a script: stop reading commands).
import type { CommandSpec } from '../types.js';

export const quitCommand: CommandSpec = {
  name: 'quit',
  aliases: ['exit', 'q'],
  category: 'session',
  summary: 'leave gcsh',
  usage: 'quit',
  help: 'Leaves the shell. In a command file, stops reading further commands.',
  examples: ['quit'],
  args: { positionals: [], flags: [] },
  run() {
    return { kind: 'quit' };
  },
};
