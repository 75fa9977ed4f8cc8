// Layer 5 (commands): `dominators REF` — the chain of immediate dominators up to the root: each one, if freed,
// would free REF too.
import { dominatorChain } from '../../analyses/dominator-chain.js';
import { objectRecord } from '../records.js';
import { resolveRef } from '../refs.js';
import type { CommandSpec } from '../types.js';

export const dominatorsCommand: CommandSpec = {
  name: 'dominators',
  aliases: ['dom'],
  category: 'roots',
  summary: 'dominator chain up to the root, with retained sizes',
  usage: 'dominators REF',
  help:
    'An object\'s dominator is the object every path from the roots must pass through to reach it: free the\n' +
    'dominator and the object goes too. This lists the chain of immediate dominators from REF up to the root,\n' +
    'nearest first, with how much each keeps alive — the biggest jump is usually the owner to look at.',
  examples: ['dominators @12345', 'dominators $1'],
  seeAlso: ['retainers', 'show'],
  args: { positionals: [{ name: 'REF', kind: 'ref', summary: 'object reference', completes: 'ref' }], flags: [] },
  run(ctx, args) {
    const { snapshot, ordinal } = resolveRef(ctx.session, String(args.REF));
    // The analysis lists the object itself first; the result names it as the target instead.
    const chain = dominatorChain(snapshot.store, snapshot.derived, ordinal).slice(1);
    return { kind: 'chain', target: objectRecord(snapshot, ordinal), chain: chain.map((o) => objectRecord(snapshot, o)) };
  },
};
