// Layer 5 (commands): `summary` — objects grouped by class with count, self size and retained size, as Chrome
// DevTools' Summary view computes them (retained size per class counts nested instances once).
import { membersOfClass } from '../../analyses/aggregates.js';
import { classesMatching } from '../class-match.js';
import { objectRecord } from '../records.js';
import type { ClassIndex } from '../../analyses/aggregates.js';
import type { CommandSpec, TableRow } from '../types.js';

/** The member of a class that retains the most (ties: the lower ordinal); members of self size 0 only if all are. */
function largestMember(index: ClassIndex, classIndex: number, retainedSize: Float64Array, selfSize: Float64Array): number {
  const members = membersOfClass(index, classIndex);
  let best = members[0]!;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const better = selfSize[best] === 0 ? selfSize[m]! > 0 || retainedSize[m]! > retainedSize[best]! : selfSize[m]! > 0 && retainedSize[m]! > retainedSize[best]!;
    if (better) best = m;
  }
  return best;
}

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
      const largest = objectRecord(snapshot, largestMember(snapshot.classIndex(), aggregate.classIndex, derived.retainedSize, snapshot.store.selfSize));
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
