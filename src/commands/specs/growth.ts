// Layer 5 (commands): `growth` — what grew between snapshots: per-type count and size deltas (DevTools' Comparison
// view), new objects, and with --steps the types that grew at every step plus leak candidates.
import { GcshError } from '../../base/errors.js';
import { formatBytes, formatCount } from '../../base/format.js';
import { classesGrowingEveryStep, diffSnapshots, leakCandidates } from '../../analyses/growth.js';
import { findRootPaths } from '../../analyses/root-paths.js';
import { pathExpression } from '../path-text.js';
import type { LoadedSnapshot } from '../loaded-snapshot.js';
import { objectRecord } from '../records.js';
import type { Session } from '../session.js';
import type { CommandResult, CommandSpec, TableRow } from '../types.js';

function pair(session: Session, a: unknown, b: unknown): [LoadedSnapshot, LoadedSnapshot] {
  const named = (name: unknown) => {
    const snapshot = session.byName(String(name));
    if (!snapshot) throw new GcshError('bad-argument', `no snapshot named '${name}' (\`snapshots\` lists them)`);
    return snapshot;
  };
  if (a !== undefined && b !== undefined) return [named(a), named(b)];
  const current = session.current();
  if (a !== undefined) {
    return [named(a), current];
  }
  return defaultGrowthPair(session);
}

/**
 * The pair `growth` compares by default: the snapshot loaded before the current one, and the current one; when the
 * current snapshot is the first loaded (`gcsh before after` makes the first current), the current one and the next.
 */
export function defaultGrowthPair(session: Session): [LoadedSnapshot, LoadedSnapshot] {
  const loaded = session.snapshots;
  const current = session.current();
  const index = loaded.indexOf(current);
  if (index > 0) return [loaded[index - 1]!, current];
  const next = loaded[index + 1];
  if (!next) throw new GcshError('no-snapshot', 'growth compares two snapshots — `load` another one first (e.g. taken later from the same process)');
  return [current, next];
}

function stepsResult(session: Session, limit: number): CommandResult {
  // One process's series: the snapshots of the current one's language, in load order, up to the current one (a
  // Python and a V8 heap, or later snapshots, are not steps of it).
  const current = session.current();
  const sameLanguage = [...session.snapshots].filter((snapshot) => snapshot.store.language === current.store.language);
  const series = sameLanguage.slice(0, sameLanguage.indexOf(current) + 1);
  const language = current.store.language === 'v8' ? 'V8' : 'Python';
  if (series.length < 3)
    throw new GcshError('bad-argument', `growth --steps needs three or more ${language} snapshots up to the current one ('${current.name}' is number ${series.length})`);
  const steady = classesGrowingEveryStep(series);
  const [baseline, target, final] = series.slice(-3) as [LoadedSnapshot, LoadedSnapshot, LoadedSnapshot];
  const candidates = leakCandidates(baseline, target, final);
  const preface = [
    steady.length === 0
      ? `no type grew at every step over ${series.map((s) => s.name).join(' → ')}`
      : `types that grew at every step over ${series.map((s) => s.name).join(' → ')}:`,
    ...steady.slice(0, limit).map((growth) => `  ${growth.name}: ${growth.counts.join(' → ')} instances, ${formatBytes(growth.sizes[0]!)} → ${formatBytes(growth.sizes[growth.sizes.length - 1]!)}`),
    '',
    `leak candidates: new in '${target.name}' (vs '${baseline.name}') and still alive in '${final.name}', largest retained first:`,
  ];
  const rows: TableRow[] = [...candidates.subarray(0, limit)].map((ordinal) => {
    const object = objectRecord(final, ordinal);
    const path = findRootPaths(final.store, final.derived, ordinal, { maxPaths: 1 })[0] ?? [];
    const route = pathExpression(final, path);
    return { cells: { ref: object.ref, type: object.type, retainedSize: object.retainedSize, path: route }, object, json: { path: route } };
  });
  return {
    kind: 'table',
    preface,
    columns: [
      { key: 'ref', title: 'object' },
      { key: 'type', title: 'type' },
      { key: 'retainedSize', title: 'retained', align: 'right', format: 'bytes' },
      { key: 'path', title: 'path from a root' },
    ],
    rows,
    page: { offset: 0, shown: rows.length, total: candidates.length },
    jsonKey: 'objects',
    extra: { steadyGrowth: steady.map((g) => ({ type: g.name, counts: g.counts, sizes: g.sizes })), snapshots: series.map((s) => s.name) },
    ...(candidates.length === 0 ? { notes: ['no leak candidates'] } : {}),
  };
}

export const growthCommand: CommandSpec = {
  name: 'growth',
  aliases: ['diff'],
  category: 'growth',
  summary: 'what grew between snapshots: per-type count and size deltas, new objects',
  usage: 'growth [A] [B] [--steps]',
  help:
    'Compares two snapshots of one process (default: the previous one vs the current one) the way DevTools\'\n' +
    'Comparison view does: objects only in B are new, objects only in A are gone (V8 ids are stable within a\n' +
    'process; Python objects match by id() and type, since addresses are reused). Rows are types, biggest size\n' +
    'growth first; `$N` names the largest new object of row N. With three or more snapshots, --steps lists types\n' +
    'that grew at every step and leak candidates: objects new in the middle snapshot still alive in the last. The\n' +
    'steps are the loaded snapshots of the current one\'s language, in load order, up to the current one.',
  examples: ['growth', 'growth before after', 'growth --steps'],
  seeAlso: ['summary', 'retainers', 'snapshots'],
  pageable: true,
  args: {
    positionals: [
      { name: 'A', kind: 'string', summary: 'older snapshot', optional: true, completes: 'snapshot' },
      { name: 'B', kind: 'string', summary: 'newer snapshot (default: current)', optional: true, completes: 'snapshot' },
    ],
    flags: [{ name: 'steps', kind: 'boolean', summary: 'growth at every step up to the current snapshot, and leak candidates' }],
  },
  run(ctx, args) {
    const limit = Number(args.limit ?? ctx.session.options.limit);
    if (args.steps) return stepsResult(ctx.session, limit);
    const [older, newer] = pair(ctx.session, args.A, args.B);
    if (older.language !== newer.language) throw new GcshError('bad-argument', `'${older.name}' and '${newer.name}' are heaps of different languages`);
    const diff = diffSnapshots(older, newer);
    const offset = Number(args.offset ?? 0);
    const rows: TableRow[] = diff.classes.slice(offset, offset + limit).map((growth) => ({
      cells: {
        type: growth.name,
        addedCount: growth.addedCount,
        removedCount: growth.removedCount,
        countDelta: growth.countDelta,
        sizeDelta: growth.sizeDelta,
      },
      ...(growth.largestAdded >= 0 ? { object: objectRecord(newer, growth.largestAdded) } : {}),
      json: { addedSize: growth.addedSize, removedSize: growth.removedSize, count: growth.count },
    }));
    return {
      kind: 'table',
      title: `growth from '${older.name}' to '${newer.name}': +${formatCount(diff.addedCount)} new, -${formatCount(diff.removedCount)} gone objects`,
      columns: [
        { key: 'type', title: 'type' },
        { key: 'addedCount', title: 'new', align: 'right', format: 'count' },
        { key: 'removedCount', title: 'gone', align: 'right', format: 'count' },
        { key: 'countDelta', title: 'Δ count', align: 'right', format: 'signedCount' },
        { key: 'sizeDelta', title: 'Δ size', align: 'right', format: 'signedBytes' },
      ],
      rows,
      page: { offset, shown: rows.length, total: diff.classes.length },
      jsonKey: 'rows',
      extra: { from: older.name, to: newer.name, addedCount: diff.addedCount, removedCount: diff.removedCount, addedSize: diff.addedSize, removedSize: diff.removedSize },
      ...(rows.length === 0 ? { notes: ['nothing was added or removed'] } : {}),
    };
  },
};
