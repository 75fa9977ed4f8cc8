// Layer 5 (commands): `show REF` — one object in full: sizes, distance, dominator, Python refcount/generation/flags,
// and its referents.
import { formatBytes, formatCount } from '../../base/format.js';
import { baseSystemDistance, baseUnreachableDistance, NodeFlag, noDistance } from '../../store/derived.js';
import { PyFlag } from '../../store/graph-store.js';
import { referentRows } from '../edge-rows.js';
import { formatRef, objectRecord } from '../records.js';
import { resolveRef } from '../refs.js';
import type { CommandSpec } from '../types.js';

const pythonFlagNames: readonly (readonly [number, string])[] = [
  [PyFlag.gcTracked, 'gc-tracked'],
  [PyFlag.hasFinalizer, 'has finalizer'],
  [PyFlag.weaklyReferenced, 'weakly referenced'],
  [PyFlag.immortal, 'immortal'],
  [PyFlag.inGcGarbage, 'in gc.garbage'],
  [PyFlag.frozen, 'frozen'],
  [PyFlag.root, 'root'],
  [PyFlag.finalized, 'finalized'],
  [PyFlag.isWeakref, 'weakref'],
];

/** DevTools' distance conventions: system objects are offset by 10^8, unreachable ones by 2·10^8 or noDistance. */
function describeDistance(distance: number): string {
  if (distance === noDistance || distance >= baseUnreachableDistance) return 'unreachable from the roots';
  if (distance >= baseSystemDistance) return `${distance - baseSystemDistance} from the GC roots (not reachable from user roots)`;
  return String(distance);
}

export const showCommand: CommandSpec = {
  name: 'show',
  aliases: ['inspect', 'x'],
  category: 'inspect',
  summary: 'one object: type, sizes, distance, dominator, flags, and what it refers to',
  usage: 'show REF [--limit N]',
  help:
    'Shows an object\'s type, name or repr, self size, retained size (what would be freed with it), distance from\n' +
    'the nearest root, immediate dominator, and for Python objects refcount, generation and flags; then its referents.',
  examples: ['show @12345', 'show 0x7f3a2c1d5e80', 'show $1'],
  seeAlso: ['referents', 'retainers', 'dominators'],
  pageable: true,
  args: { positionals: [{ name: 'REF', kind: 'ref', summary: 'object reference', completes: 'ref' }], flags: [] },
  run(ctx, args) {
    const { snapshot, ordinal } = resolveRef(ctx.session, String(args.REF));
    const { store, derived } = snapshot;
    const object = objectRecord(snapshot, ordinal);
    const dominator = derived.dominator[ordinal]!;
    const fields: [string, string][] = [
      ['type', object.type],
      ['kind', object.kind],
    ];
    if (object.name !== object.type) fields.push(['name', object.name]);
    if (object.repr !== undefined) fields.push(['repr', object.repr]);
    fields.push(['self size', formatBytes(object.selfSize)], ['retained size', formatBytes(object.retainedSize ?? 0)]);
    fields.push(['distance', describeDistance(derived.distance[ordinal]!)]);
    if (dominator !== ordinal) fields.push(['dominator', `${formatRef(store, store.nodeId[dominator]!)} ${derived.classNames[derived.classOf[dominator]!] ?? ''}`]);
    const flags: string[] = [];
    const nodeFlags = derived.nodeFlags[ordinal]!;
    if (nodeFlags & NodeFlag.garbage) flags.push('garbage (a collection would free it)');
    if (nodeFlags & NodeFlag.detachedDomNode) flags.push('detached DOM node');
    if (nodeFlags & NodeFlag.unreachable) flags.push('unreachable');
    const extra: Record<string, unknown> = { dominator: { id: store.nodeId[dominator], ref: formatRef(store, store.nodeId[dominator]!) } };
    if (store.python) {
      const py = store.python;
      fields.push(['refcount', formatCount(py.refcount[ordinal]!)]);
      const generation = py.generation[ordinal]!;
      fields.push(['generation', generation < 0 ? 'untracked' : generation === 3 ? 'permanent (frozen)' : String(generation)]);
      const bits = py.flags[ordinal]!;
      for (const [bit, label] of pythonFlagNames) if (bits & bit) flags.push(label);
      extra.refcount = py.refcount[ordinal];
      extra.generation = generation;
    }
    extra.flags = flags;
    const limit = Number(args.limit ?? ctx.session.options.limit);
    const rows = referentRows(snapshot, ordinal, Number(args.offset ?? 0), limit);
    return { kind: 'object', object, fields, flags, edges: rows.edges, page: rows.page, extra };
  },
};
