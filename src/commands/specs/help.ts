// Layer 5 (commands): `help [COMMAND]` — the grouped command list, or one command's usage, options and examples.
import { GcshError } from '../../base/errors.js';
import { closestName } from '../did-you-mean.js';
import { commandHelpText, commandListText } from '../help-text.js';
import type { CommandSpec } from '../types.js';

export const helpCommand: CommandSpec = {
  name: 'help',
  aliases: ['?'],
  category: 'session',
  summary: 'list commands, or show one command\'s usage and an example',
  usage: 'help [COMMAND]',
  help: 'Without an argument lists every command by group; with one, shows its usage, options and examples.',
  examples: ['help', 'help retainers'],
  args: { positionals: [{ name: 'COMMAND', kind: 'string', summary: 'a command name', optional: true, completes: 'command' }], flags: [] },
  async run(_ctx, args) {
    // Imported when run: the registry imports this file.
    const { categoryTitles, commandNames, commands, findCommand } = await import('../registry.js');
    if (args.COMMAND === undefined) {
      return { kind: 'help', text: commandListText(commands, categoryTitles), data: { commands: commands.map((spec) => ({ name: spec.name, category: spec.category, usage: spec.usage, summary: spec.summary })) } };
    }
    const spec = findCommand(String(args.COMMAND));
    if (!spec) {
      const suggestion = closestName(String(args.COMMAND), commandNames());
      throw new GcshError('unknown-command', `help: no command '${args.COMMAND}'${suggestion ? ` — did you mean \`${suggestion}\`?` : ''}`);
    }
    return {
      kind: 'help',
      text: commandHelpText(spec),
      data: { name: spec.name, usage: spec.usage, summary: spec.summary, help: spec.help, examples: spec.examples, aliases: spec.aliases ?? [] },
    };
  },
};
