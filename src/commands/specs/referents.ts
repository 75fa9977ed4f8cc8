// Layer 5 (commands): `referents REF` — what an object points to, with edge labels.
import { referentRows } from '../edge-rows.js';
import { objectRecord } from '../records.js';
import { resolveRef } from '../refs.js';
import type { CommandSpec } from '../types.js';

export const referentsCommand: CommandSpec = {
  name: 'referents',
  aliases: ['refs', 'children'],
  category: 'inspect',
  summary: 'outgoing references of an object, with edge labels',
  usage: 'referents REF [--limit N]',
  help: 'Lists the objects REF refers to, in the snapshot\'s order, each with the edge that leads there\n(`.attr`, `[3]`, `[\'key\']`, `context \'v\'`, internal names such as `map`).',
  examples: ['referents @12345', 'referents $1'],
  seeAlso: ['show', 'retainers'],
  pageable: true,
  args: { positionals: [{ name: 'REF', kind: 'ref', summary: 'object reference', completes: 'ref' }], flags: [] },
  run(ctx, args) {
    const { snapshot, ordinal } = resolveRef(ctx.session, String(args.REF));
    const limit = Number(args.limit ?? ctx.session.options.limit);
    const rows = referentRows(snapshot, ordinal, Number(args.offset ?? 0), limit);
    return { kind: 'edges', direction: 'referents', object: objectRecord(snapshot, ordinal), edges: rows.edges, page: rows.page };
  },
};
