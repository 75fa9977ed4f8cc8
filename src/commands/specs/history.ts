// Layer 5 (commands): `history` — the commands run in this session.
import type { CommandSpec } from '../types.js';

export const historyCommand: CommandSpec = {
  name: 'history',
  category: 'session',
  summary: 'commands run in this session',
  usage: 'history [--limit N]',
  help: 'Lists the commands of this session, oldest first. In the shell, ↑/↓ recall them (kept across sessions).',
  examples: ['history'],
  args: { positionals: [], flags: [{ name: 'limit', kind: 'number', summary: 'show the last N', default: 50 }] },
  run(ctx, args) {
    const history = ctx.session.history;
    const limit = Number(args.limit);
    const first = Math.max(0, history.length - limit);
    const rows = history.slice(first).map((line, i) => ({ cells: { number: first + i + 1, command: line } }));
    return {
      kind: 'table',
      columns: [
        { key: 'number', title: '#', align: 'right' },
        { key: 'command', title: 'command' },
      ],
      rows,
      page: { offset: 0, shown: rows.length, total: rows.length },
      jsonKey: 'rows',
      ...(rows.length === 0 ? { notes: ['no commands yet'] } : {}),
    };
  },
};
