// Layer 5 (commands): parse a command's tokens against its declarative ArgSpec. Parsed fresh on every call so no
// state survives between commands.
import { GcshError } from '../base/errors.js';
import { closestName } from './did-you-mean.js';
import type { Token } from './tokenizer.js';
import type { ArgSpec, CommandSpec, OptionSpec, ParsedArgs } from './types.js';

/** Flags every pageable command accepts; the engine adds them. */
export const pagingFlags: readonly OptionSpec[] = [
  { name: 'limit', kind: 'number', summary: 'rows to show (default 20, `set limit N` changes it)' },
  { name: 'offset', kind: 'number', summary: 'skip this many rows (what `more` uses)' },
];

function convert(option: OptionSpec, text: string): string | number | boolean {
  if (option.kind === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new GcshError('bad-argument', `--${option.name} expects a number, got '${text}'`);
    return value;
  }
  if (option.choices && !option.choices.includes(text)) {
    throw new GcshError('bad-argument', `${option.name} must be one of ${option.choices.join(', ')}, got '${text}'`);
  }
  return text;
}

/**
 * Parse tokens (the command name already removed). Accepts `--flag value`, `--flag=value`, and boolean
 * `--flag`; unknown flags fail with a "did you mean".
 */
export function parseCommandArgs(commandName: string, spec: ArgSpec, tokens: readonly Token[]): ParsedArgs {
  const parsed: ParsedArgs = {};
  const positionals: string[] = [];
  for (const flag of spec.flags) if (flag.default !== undefined) parsed[flag.name] = flag.default;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.quoted && token.text.startsWith('--') && token.text.length > 2) {
      const body = token.text.slice(2);
      const equals = body.indexOf('=');
      const name = equals >= 0 ? body.slice(0, equals) : body;
      const flag = spec.flags.find((candidate) => candidate.name === name);
      if (!flag) {
        const suggestion = closestName(name, spec.flags.map((candidate) => candidate.name));
        throw new GcshError('bad-argument', `${commandName}: unknown option --${name}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`);
      }
      if (flag.kind === 'boolean') {
        if (equals >= 0) parsed[flag.name] = !['false', '0', 'no'].includes(body.slice(equals + 1));
        else parsed[flag.name] = true;
        continue;
      }
      let value: string | undefined;
      if (equals >= 0) value = body.slice(equals + 1);
      else if (i + 1 < tokens.length) value = tokens[++i]!.text;
      if (value === undefined) throw new GcshError('bad-argument', `${commandName}: --${flag.name} needs a value`);
      parsed[flag.name] = convert(flag, value);
      continue;
    }
    positionals.push(token.text);
  }
  let next = 0;
  for (const positional of spec.positionals) {
    if (positional.rest) {
      if (next < positionals.length) parsed[positional.name] = positionals.slice(next).join(' ');
      next = positionals.length;
    } else if (next < positionals.length) {
      parsed[positional.name] = convert(positional, positionals[next++]!);
    }
    if (parsed[positional.name] === undefined && !positional.optional) {
      throw new GcshError('bad-argument', `${commandName}: missing ${positional.name} (usage: see \`help ${commandName}\`)`);
    }
  }
  if (next < positionals.length) {
    throw new GcshError('bad-argument', `${commandName}: unexpected argument '${positionals[next]}' (see \`help ${commandName}\`)`);
  }
  return parsed;
}

/** Pageable commands get --limit and --offset without declaring them. */
export function argSpecOf(spec: CommandSpec): CommandSpec['args'] {
  if (!spec.pageable) return spec.args;
  return { positionals: spec.args.positionals, flags: [...spec.args.flags, ...pagingFlags.filter((flag) => !spec.args.flags.some((own) => own.name === flag.name))] };
}
