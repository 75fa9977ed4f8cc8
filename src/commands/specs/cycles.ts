// Layer 5 (commands): `cycles` — reference cycles (strongly connected components with more than one object or a
// self-reference), largest retained first; with REF, the shortest cycle through that object.
import { GcshError } from '../../base/errors.js';
import { largestMembers, shortestCycleThrough } from '../../analyses/cycles.js';
import { NodeFlag } from '../../store/derived.js';
import { classesMatching } from '../class-match.js';
import { edgeView } from '../edge-label.js';
import { objectRecord } from '../records.js';
import { resolveRef } from '../refs.js';
import type { CommandSpec, CycleView } from '../types.js';

const membersShown = 6;

export const cyclesCommand: CommandSpec = {
  name: 'cycles',
  category: 'roots',
  summary: 'reference cycles, largest retained first; Python garbage cycles first and marked',
  usage: 'cycles [--garbage] [--min-size N] [--type T] [REF]',
  help:
    'Lists strongly connected components: groups of objects that all reach each other (a cycle), ranked by the\n' +
    'memory they keep alive. Reference counting alone never frees a cycle; a tracing collector frees it once no\n' +
    'root reaches it. On Python heaps, cycles a collection would free are marked [garbage] and listed first.\n' +
    'V8 engine-internal cycles (maps, code, contexts of the runtime) are left out. With REF, shows the shortest\n' +
    'cycle through that object, edge by edge.',
  examples: ['cycles', 'cycles --min-size 100000', 'cycles --type Node', 'cycles @12345'],
  seeAlso: ['retainers', 'garbage'],
  pageable: true,
  args: {
    positionals: [{ name: 'REF', kind: 'ref', summary: 'show the shortest cycle through this object', optional: true, completes: 'ref' }],
    flags: [
      { name: 'garbage', kind: 'boolean', summary: 'only cycles a collection would free (Python)' },
      { name: 'min-size', kind: 'number', summary: 'only cycles retaining at least N bytes', default: 0 },
      { name: 'type', kind: 'string', summary: 'only cycles containing an object of this type', completes: 'class' },
    ],
  },
  run(ctx, args) {
    if (args.REF !== undefined) {
      const { snapshot, ordinal } = resolveRef(ctx.session, String(args.REF));
      const cycle = shortestCycleThrough(snapshot.store, ordinal);
      if (cycle === null) {
        return { kind: 'cycles', cycles: [], page: { offset: 0, shown: 0, total: 0 }, notes: [`${objectRecord(snapshot, ordinal).ref} is on no reference cycle (over strong edges)`] };
      }
      const objects = cycle.nodes.map((o) => objectRecord(snapshot, o));
      let size = 0;
      for (const o of objects) size += o.selfSize;
      const garbage = cycle.nodes.every((o) => (snapshot.derived.nodeFlags[o]! & NodeFlag.garbage) !== 0);
      const view: CycleView = {
        objects,
        moreObjects: 0,
        objectCount: objects.length,
        size,
        retainedSize: Math.max(...objects.map((o) => o.retainedSize ?? 0)),
        garbage,
        edges: cycle.edges.map((e) => edgeView(snapshot.store, e)),
      };
      return { kind: 'cycles', cycles: [view], page: { offset: 0, shown: 1, total: 1 }, notes: [] };
    }
    const snapshot = ctx.session.current();
    if (args.garbage && snapshot.language !== 'python') throw new GcshError('bad-argument', 'cycles --garbage needs a Python snapshot (V8 snapshots are taken after a full GC: their garbage is already gone)');
    const classFilter = args.type === undefined ? undefined : classesMatching(snapshot, String(args.type));
    const minRetained = Number(args['min-size'] ?? 0);
    const flags = snapshot.derived.nodeFlags;
    const isGarbage = (members: Uint32Array) => members.length > 0 && members.every((o) => (flags[o]! & NodeFlag.garbage) !== 0);
    const found = snapshot
      .cycles()
      .cycles.filter((cycle) => cycle.retainedSize >= minRetained)
      .filter((cycle) => classFilter === undefined || cycle.members.some((o) => classFilter.has(snapshot.derived.classOf[o]!)))
      .map((cycle) => ({ ...cycle, garbage: isGarbage(cycle.members) }))
      .filter((cycle) => !args.garbage || cycle.garbage);
    // Python: cyclic garbage first (stable, so each group keeps its retained-size ranking).
    found.sort((a, b) => Number(b.garbage) - Number(a.garbage));
    const offset = Number(args.offset ?? 0);
    const limit = Number(args.limit ?? ctx.session.options.limit);
    const cycles: CycleView[] = found.slice(offset, offset + limit).map((cycle) => ({
      objects: largestMembers(cycle.members, snapshot.derived.retainedSize, membersShown).map((o) => objectRecord(snapshot, o)),
      moreObjects: Math.max(0, cycle.members.length - membersShown),
      objectCount: cycle.members.length,
      size: cycle.size,
      retainedSize: cycle.retainedSize,
      garbage: cycle.garbage,
    }));
    const notes = found.length === 0 ? [] : [`${found.length} cycle${found.length === 1 ? '' : 's'}; \`cycles REF\` shows one edge by edge`];
    return { kind: 'cycles', cycles, page: { offset, shown: cycles.length, total: found.length }, notes };
  },
};
