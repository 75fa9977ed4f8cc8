// Layer 5 (commands): `summary` — objects grouped by class with count, self size and retained size, as Chrome
// DevTools' Summary view computes them (retained size per class counts nested instances once).
import { classesMatching } from '../class-match.js';
import { objectRecord } from '../records.js';
import type { CommandSpec, TableRow } from '../types.js';

export const summaryCommand: CommandSpec = {
  name: 'summary',
  aliases: ['types', 'histogram'],
  category: 'inspect',
  summary: 'objects grouped by type: count, self size, retained size',
  usage: 'summary [--by count|self|retained] [PATTERN]',
  help:
    'Groups every live object by its class (V8: the constructor name DevTools shows; Python: the qualified type)\n' +
    'and shows how many there are, their own size, and what they keep alive. A class\'s retained size counts each\n' +
    'object once even when instances hold each other. PATTERN keeps classes whose name contains it (or fuzzily\n' +
    'matches). `$N` then names the largest instance of row N.',
  examples: ['summary', 'summary --by count', 'summary Leak --limit 5'],
  seeAlso: ['show', 'retainers'],
  pageable: true,
  args: {
    positionals: [{ name: 'PATTERN', kind: 'string', summary: 'only classes matching this', optional: true, rest: true, completes: 'class' }],
    flags: [{ name: 'by', kind: 'string', summary: 'sort key', choices: ['count', 'self', 'retained'], default: 'retained' }],
  },
  run(ctx, args) {
    const snapshot = ctx.session.current();
    const { derived } = snapshot;
    let aggregates = [...snapshot.aggregates()];
    if (args.PATTERN !== undefined) {
      const wanted = classesMatching(snapshot, String(args.PATTERN));
      aggregates = aggregates.filter((aggregate) => wanted.has(aggregate.classIndex));
    }
    const key = args.by === 'count' ? 'count' : args.by === 'self' ? 'selfSize' : 'retainedSize';
    aggregates.sort((a, b) => b[key] - a[key] || b.retainedSize - a.retainedSize || a.classIndex - b.classIndex);
    const offset = Number(args.offset ?? 0);
    const limit = Number(args.limit ?? ctx.session.options.limit);
    const rows: TableRow[] = aggregates.slice(offset, offset + limit).map((aggregate) => {
      const largestOrdinal = snapshot.largestOfClass(aggregate.classIndex);
      const largest = objectRecord(snapshot, largestOrdinal < 0 ? snapshot.store.rootOrdinal : largestOrdinal);
      return {
        cells: {
          type: derived.classNames[aggregate.classIndex] ?? '',
          count: aggregate.count,
          selfSize: aggregate.selfSize,
          retainedSize: aggregate.retainedSize,
        },
        object: largest,
        json: { largest: { id: largest.id, ref: largest.ref, retainedSize: largest.retainedSize } },
      };
    });
    let totalCount = 0;
    let totalSelf = 0;
    for (const aggregate of aggregates) {
      totalCount += aggregate.count;
      totalSelf += aggregate.selfSize;
    }
    return {
      kind: 'table',
      columns: [
        { key: 'type', title: 'type' },
        { key: 'count', title: 'count', align: 'right', format: 'count' },
        { key: 'selfSize', title: 'self size', align: 'right', format: 'bytes' },
        { key: 'retainedSize', title: 'retained size', align: 'right', format: 'bytes' },
      ],
      rows,
      page: { offset, shown: rows.length, total: aggregates.length },
      jsonKey: 'rows',
      extra: { totalSize: derived.totalSize, objectCount: totalCount, selfSizeTotal: totalSelf },
      ...(rows.length === 0 ? { notes: [args.PATTERN === undefined ? 'no objects' : `no type matches '${args.PATTERN}'`] } : {}),
    };
  },
};
