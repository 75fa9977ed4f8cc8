// Layer 5 (commands): `purge [--dry-run]` — on a snapshot, simulate a correct collection and report what it would
// free (by type) and what would stay uncollectable. (Live targets run a real one; see SPEC §6.)
import { formatBytes, formatCount } from '../../base/format.js';
import { garbageByType, garbageSet } from '../garbage-set.js';
import type { CommandSpec } from '../types.js';

export const purgeCommand: CommandSpec = {
  name: 'purge',
  aliases: ['collect'],
  category: 'garbage',
  summary: 'what a correct collection would free (on a snapshot: simulated)',
  usage: 'purge [--dry-run]',
  help:
    'On a snapshot, simulates a full collection and reports what it would free, by type, plus what would stay\n' +
    'uncollectable and which finalizers and weakref callbacks would run. Nothing in a file can be freed, so on a\n' +
    'snapshot purge is always a dry run. Connected live (later versions), it runs a correct collection in the target:\n' +
    'DEBUG_SAVEALL off, gc.garbage emptied in place, collect until nothing more is freed.',
  examples: ['purge --dry-run', 'purge --dry-run --limit 5'],
  seeAlso: ['garbage', 'cycles'],
  pageable: true,
  args: { positionals: [], flags: [{ name: 'dry-run', kind: 'boolean', summary: 'report only (always so on a snapshot)' }] },
  run(ctx, args) {
    const snapshot = ctx.session.current();
    const garbage = garbageSet(snapshot);
    const byType = garbageByType(snapshot, garbage.ordinals);
    const offset = Number(args.offset ?? 0);
    const limit = Number(args.limit ?? ctx.session.options.limit);
    const python = snapshot.language === 'python';
    const preface = [
      `${args['dry-run'] ? '' : 'snapshot, so nothing is freed — '}a ${python ? 'gc.collect()' : 'full GC'} would free ${formatCount(garbage.ordinals.length)} object${garbage.ordinals.length === 1 ? '' : 's'} (${formatBytes(garbage.bytes)})` +
        (python && garbage.uncollectable ? `; ${formatCount(garbage.uncollectable)} would stay uncollectable in gc.garbage` : '') +
        (python && garbage.finalizers ? `; ${formatCount(garbage.finalizers)} __del__ would run` : '') +
        (python && garbage.weakrefCallbacks ? `; ${formatCount(garbage.weakrefCallbacks)} weakref callbacks would fire` : ''),
    ];
    const rows = byType.slice(offset, offset + limit).map((row) => ({ cells: { type: row.type, count: row.count, bytes: row.bytes } }));
    return {
      kind: 'table',
      preface,
      columns: [
        { key: 'type', title: 'type' },
        { key: 'count', title: 'freed', align: 'right', format: 'count' },
        { key: 'bytes', title: 'bytes', align: 'right', format: 'bytes' },
      ],
      rows,
      page: { offset, shown: rows.length, total: byType.length },
      jsonKey: 'rows',
      extra: { dryRun: true, freedCount: garbage.ordinals.length, freedBytes: garbage.bytes, uncollectable: garbage.uncollectable, finalizers: garbage.finalizers, weakrefCallbacks: garbage.weakrefCallbacks },
    };
  },
};
