// Layer 5 (commands): `garbage` — everything a collection would free now, with reprs; the seed user's
// `unreachable()` done right (no DEBUG_SAVEALL, nothing collected, nothing re-saved).
import { formatBytes, formatCount } from '../../base/format.js';
import { resolveClassName } from '../class-match.js';
import { garbageByType, garbageMarks, garbageSet } from '../garbage-set.js';
import { objectRecord } from '../records.js';
import type { CommandSpec, TableRow } from '../types.js';

export const garbageCommand: CommandSpec = {
  name: 'garbage',
  aliases: ['unreachable'],
  category: 'garbage',
  summary: 'everything the collector would free right now, with reprs',
  usage: 'garbage [--type T]',
  help:
    'Python: exactly the objects gc.collect() would collect at the moment of the dump, computed with CPython\'s own\n' +
    'algorithm on the snapshot (update_refs → subtract_refs → move_unreachable, then finalizers and weakrefs) —\n' +
    'without collecting and without DEBUG_SAVEALL. Cycle sources come first: break one and the rest it holds goes\n' +
    'too. V8: snapshots are taken after a full GC, so this lists what only weak references (or nothing strong)\n' +
    'still reach; the next GC frees it.',
  examples: ['garbage', 'garbage --type A --limit 50', 'garbage; retainers $1 --all'],
  seeAlso: ['cycles', 'purge', 'retainers'],
  pageable: true,
  args: { positionals: [], flags: [{ name: 'type', kind: 'string', summary: 'only objects of this type', completes: 'class' }] },
  run(ctx, args) {
    const snapshot = ctx.session.current();
    const garbage = garbageSet(snapshot);
    let ordinals = garbage.ordinals;
    if (args.type !== undefined) {
      // Exact, then case-insensitive; otherwise an error with "did you mean" (SPEC §3).
      const wanted = resolveClassName(snapshot, String(args.type));
      ordinals = ordinals.filter((o) => snapshot.derived.classOf[o] === wanted);
    }
    const offset = Number(args.offset ?? 0);
    const limit = Number(args.limit ?? ctx.session.options.limit);
    const rows: TableRow[] = [...ordinals.subarray(offset, offset + limit)].map((ordinal) => {
      const object = objectRecord(snapshot, ordinal);
      const marks = garbageMarks(garbage.flags, ordinal);
      return { cells: { ref: object.ref, type: object.type, repr: object.repr ?? '', selfSize: object.selfSize, marks }, object, json: marks ? { marks } : {} };
    });
    const byType = garbageByType(snapshot, ordinals);
    const python = snapshot.language === 'python';
    const preface: string[] = [];
    if (ordinals.length === 0) {
      preface.push(python ? 'no garbage: gc.collect() would free nothing right now' : 'no unreachable objects: everything in this snapshot is strongly reachable');
    } else {
      preface.push(`${formatCount(ordinals.length)} object${ordinals.length === 1 ? '' : 's'}, ${formatBytes(byType.reduce((sum, t) => sum + t.bytes, 0))}${python ? ' that gc.collect() would free' : ' reachable only weakly or not at all (the next GC frees them)'}:`);
      preface.push(`  by type: ${byType.slice(0, 6).map((t) => `${t.type} ×${formatCount(t.count)}`).join(', ')}${byType.length > 6 ? `, … ${byType.length - 6} more types` : ''}`);
      if (python) {
        const forecasts = [
          garbage.sourceCycles ? `${garbage.sourceCycles} cycle source${garbage.sourceCycles === 1 ? '' : 's'} (break these and the rest goes)` : '',
          garbage.finalizers ? `${garbage.finalizers} __del__ would run` : '',
          garbage.mayResurrect ? `${garbage.mayResurrect} could be resurrected by a __del__` : '',
          garbage.weakrefCallbacks ? `${garbage.weakrefCallbacks} weakref callback${garbage.weakrefCallbacks === 1 ? '' : 's'} would fire` : '',
          garbage.uncollectable ? `${garbage.uncollectable} uncollectable (legacy finalizers; they would go to gc.garbage)` : '',
        ].filter(Boolean);
        if (forecasts.length) preface.push(`  ${forecasts.join('; ')}`);
      }
    }
    const gcState = snapshot.store.python?.gcState;
    if (gcState && (gcState.debug & 32) !== 0) {
      preface.push(
        `warning: the process ran with gc.DEBUG_SAVEALL: its collections put everything they would free into gc.garbage (${formatCount(gcState.garbageCount)} object${gcState.garbageCount === 1 ? '' : 's'} there now) instead of freeing it — turn it off and empty gc.garbage in place (docs/python.md)`,
      );
    } else if (gcState && gcState.garbageCount > 0) {
      preface.push(`note: gc.garbage holds ${formatCount(gcState.garbageCount)} object${gcState.garbageCount === 1 ? '' : 's'}; they stay alive until the program empties it`);
    }
    return {
      kind: 'table',
      preface,
      columns: [
        { key: 'ref', title: 'object' },
        { key: 'type', title: 'type' },
        { key: 'repr', title: 'repr' },
        { key: 'selfSize', title: 'size', align: 'right', format: 'bytes' },
        { key: 'marks', title: '' },
      ],
      rows,
      page: { offset, shown: rows.length, total: ordinals.length },
      jsonKey: 'objects',
      extra: {
        count: ordinals.length,
        bytes: byType.reduce((sum, t) => sum + t.bytes, 0),
        byType,
        ...(gcState ? { gcDebug: gcState.debug, gcGarbageCount: gcState.garbageCount } : {}),
        ...(python ? { finalizers: garbage.finalizers, mayResurrect: garbage.mayResurrect, weakrefCallbacks: garbage.weakrefCallbacks, uncollectable: garbage.uncollectable, sourceCycles: garbage.sourceCycles } : {}),
      },
    };
  },
};
