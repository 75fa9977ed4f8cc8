// Layer 5 (commands): `snapshots` — list what is loaded.
import type { CommandSpec } from '../types.js';

export const snapshotsCommand: CommandSpec = {
  name: 'snapshots',
  category: 'session',
  summary: 'list loaded snapshots; the current one is marked',
  usage: 'snapshots',
  help: 'Lists every loaded snapshot with its language, object count and total size. `use NAME` switches.',
  examples: ['snapshots'],
  seeAlso: ['load', 'use'],
  args: { positionals: [], flags: [] },
  run(ctx) {
    const session = ctx.session;
    const current = session.hasCurrent() ? session.current() : null;
    const rows = session.snapshots.map((snapshot) => ({
      cells: {
        current: snapshot === current ? '*' : '',
        name: snapshot.name,
        language: snapshot.language === 'python' ? 'Python' : 'V8',
        nodeCount: snapshot.store.nodeCount,
        totalSize: snapshot.derived.totalSize,
        path: snapshot.store.source.path,
      },
      json: { current: snapshot === current, fromIndex: snapshot.fromIndex },
    }));
    return {
      kind: 'table',
      columns: [
        { key: 'current', title: '' },
        { key: 'name', title: 'name' },
        { key: 'language', title: 'language' },
        { key: 'nodeCount', title: 'objects', align: 'right', format: 'count' },
        { key: 'totalSize', title: 'total size', align: 'right', format: 'bytes' },
        { key: 'path', title: 'file' },
      ],
      rows,
      page: { offset: 0, shown: rows.length, total: rows.length },
      jsonKey: 'rows',
      ...(rows.length === 0 ? { notes: ['no snapshots loaded — `load FILE`'] } : {}),
    };
  },
};
