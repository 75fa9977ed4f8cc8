// Layer 5 (commands): `find PATTERN [--type T]` — objects whose type, name or repr matches; rows are objects.
import { GcshError } from '../../base/errors.js';
import { findObjects, stringsContaining } from '../../analyses/find-objects.js';
import { classesMatching, resolveClassName } from '../class-match.js';
import { objectRecord } from '../records.js';
import type { CommandSpec, TableRow } from '../types.js';

export const findCommand: CommandSpec = {
  name: 'find',
  aliases: ['search'],
  category: 'inspect',
  summary: 'objects whose type, name or repr matches a pattern',
  usage: 'find PATTERN [--type T]',
  help:
    'Lists objects whose type name matches PATTERN (case-insensitive substring, else fuzzy), then objects whose own\n' +
    'text contains it (V8: string values and function names; Python: reprs), each group largest retained first.\n' +
    '--type T keeps only objects of type T (exact, case-insensitive).',
  examples: ['find leak', 'find RequestContext', 'find "user-agent" --type Object'],
  seeAlso: ['summary', 'show'],
  pageable: true,
  args: {
    positionals: [{ name: 'PATTERN', kind: 'string', summary: 'text to look for', optional: true, rest: true, completes: 'class' }],
    flags: [{ name: 'type', kind: 'string', summary: 'only objects of this type', completes: 'class' }],
  },
  run(ctx, args) {
    const snapshot = ctx.session.current();
    const { store, derived } = snapshot;
    if (args.PATTERN === undefined && args.type === undefined) throw new GcshError('bad-argument', 'find: give a PATTERN, --type T, or both');
    const classCount = derived.classNames.length;
    let restrict: Uint8Array | null = null;
    if (args.type !== undefined) {
      restrict = new Uint8Array(classCount);
      restrict[resolveClassName(snapshot, String(args.type))] = 1;
    }
    const classMatches = new Uint8Array(classCount);
    let stringMatches: Uint8Array | null = null;
    if (args.PATTERN === undefined) {
      classMatches.set(restrict!);
    } else {
      const pattern = String(args.PATTERN);
      for (const classIndex of classesMatching(snapshot, pattern)) classMatches[classIndex] = 1;
      stringMatches = stringsContaining(store.strings, pattern);
    }
    const found = findObjects(store, derived, { classMatches, stringMatches, restrictToClasses: restrict });
    const offset = Number(args.offset ?? 0);
    const limit = Number(args.limit ?? ctx.session.options.limit);
    const rows: TableRow[] = [...found.ordinals.subarray(offset, offset + limit)].map((ordinal) => {
      const object = objectRecord(snapshot, ordinal);
      return {
        cells: { ref: object.ref, type: object.type, text: object.repr ?? (object.name !== object.type ? object.name : ''), selfSize: object.selfSize, retainedSize: object.retainedSize },
        object,
      };
    });
    return {
      kind: 'table',
      columns: [
        { key: 'ref', title: 'object' },
        { key: 'type', title: 'type' },
        { key: 'text', title: 'name / repr' },
        { key: 'selfSize', title: 'self', align: 'right', format: 'bytes' },
        { key: 'retainedSize', title: 'retained', align: 'right', format: 'bytes' },
      ],
      rows,
      page: { offset, shown: rows.length, total: found.ordinals.length },
      jsonKey: 'objects',
      extra: { typeMatchCount: found.typeMatchCount },
      ...(found.ordinals.length === 0 ? { notes: [`nothing matches '${args.PATTERN ?? args.type}'`] } : {}),
    };
  },
};
