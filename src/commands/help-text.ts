// Layer 5 (commands): help text of one command and the grouped command list, shared by `help` and docs/commands.md.
// Takes the registry as a parameter so the `help` command does not import the registry statically (an import cycle).
import { argSpecOf } from './args.js';
import type { CommandSpec } from './types.js';

/** The full help text of one command (also used by the docs generator). */
export function commandHelpText(spec: CommandSpec): string {
  const args = argSpecOf(spec);
  const lines = [`${spec.usage}`, '', spec.summary, '', spec.help];
  if (spec.aliases?.length) lines.push('', `aliases: ${spec.aliases.join(', ')}`);
  if (args.positionals.length > 0) {
    lines.push('', 'arguments:');
    for (const positional of args.positionals) lines.push(`  ${positional.name.padEnd(16)} ${positional.summary}${positional.optional ? ' (optional)' : ''}`);
  }
  if (args.flags.length > 0) {
    lines.push('', 'options:');
    for (const flag of args.flags) {
      const value = flag.kind === 'boolean' ? '' : flag.choices ? ` ${flag.choices.join('|')}` : ' N';
      lines.push(`  ${`--${flag.name}${value}`.padEnd(16)} ${flag.summary}${flag.default !== undefined && flag.kind !== 'boolean' ? ` (default ${flag.default})` : ''}`);
    }
  }
  lines.push('', 'examples:', ...spec.examples.map((example) => `  ${example}`));
  if (spec.seeAlso?.length) lines.push('', `see also: ${spec.seeAlso.join(', ')}`);
  return lines.join('\n');
}

/** The grouped list of all commands. */
export function commandListText(commands: readonly CommandSpec[], categoryTitles: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  for (const [category, title] of Object.entries(categoryTitles)) {
    const members = commands.filter((spec) => spec.category === category);
    if (members.length === 0) continue;
    lines.push(`${title}:`);
    for (const spec of members) lines.push(`  ${spec.usage.padEnd(44)} ${spec.summary}`);
    lines.push('');
  }
  lines.push('References: @12345 (V8 id), 0x7f3a2c1d5e80 (Python id), a decimal id, or $N (row N of the last result).');
  lines.push('`help COMMAND` shows options and an example.');
  return lines.join('\n');
}
