// Layer 5 (commands): `set OPTION VALUE` — session options (row limit, index use); without arguments, lists them.
import { GcshError } from '../../base/errors.js';
import type { CommandSpec } from '../types.js';

const options = {
  limit: { summary: 'rows shown by list commands before `more`', parse: (text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new GcshError('bad-argument', `set limit: expected a positive whole number, got '${text}'`);
    return value;
  } },
  index: { summary: 'read and write index files on load (on/off)', parse: (text: string) => {
    if (['on', 'true', 'yes', '1'].includes(text)) return true;
    if (['off', 'false', 'no', '0'].includes(text)) return false;
    throw new GcshError('bad-argument', `set index: expected on or off, got '${text}'`);
  } },
} as const;

export const setCommand: CommandSpec = {
  name: 'set',
  category: 'session',
  summary: 'change a session option (limit, index); alone, list them',
  usage: 'set [OPTION VALUE]',
  help: `Options: ${Object.entries(options).map(([name, option]) => `${name} — ${option.summary}`).join('; ')}.`,
  examples: ['set limit 50', 'set index off', 'set'],
  args: {
    positionals: [
      { name: 'OPTION', kind: 'string', summary: 'option name', optional: true, choices: Object.keys(options) },
      { name: 'VALUE', kind: 'string', summary: 'new value', optional: true },
    ],
    flags: [],
  },
  run(ctx, args) {
    const session = ctx.session.options;
    const current = { limit: session.limit, index: session.useIndex ? 'on' : 'off' };
    if (args.OPTION === undefined) {
      return { kind: 'message', text: Object.entries(current).map(([name, value]) => `${name} = ${value}`).join('\n'), data: current };
    }
    if (args.VALUE === undefined) throw new GcshError('bad-argument', `set ${args.OPTION}: give a value, e.g. \`set ${args.OPTION} ${args.OPTION === 'limit' ? '50' : 'off'}\``);
    if (args.OPTION === 'limit') session.limit = options.limit.parse(String(args.VALUE));
    else session.useIndex = options.index.parse(String(args.VALUE));
    const after = { limit: session.limit, index: session.useIndex ? 'on' : 'off' };
    return { kind: 'message', text: `${args.OPTION} = ${after[args.OPTION as keyof typeof after]}`, data: after };
  },
};
