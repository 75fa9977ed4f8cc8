// Layer 5 (commands): `use NAME` — switch the current snapshot.
import { formatCount } from '../../base/format.js';
import type { CommandSpec } from '../types.js';

export const useCommand: CommandSpec = {
  name: 'use',
  category: 'session',
  summary: 'make another loaded snapshot the current one',
  usage: 'use NAME',
  help: 'Switches the snapshot that commands look at. `snapshots` lists the names.',
  examples: ['use before'],
  seeAlso: ['snapshots', 'load'],
  args: { positionals: [{ name: 'NAME', kind: 'string', summary: 'snapshot name', completes: 'snapshot' }], flags: [] },
  run(ctx, args) {
    const snapshot = ctx.session.use(String(args.NAME));
    return { kind: 'message', text: `now using '${snapshot.name}' (${formatCount(snapshot.store.nodeCount)} objects)`, data: { name: snapshot.name } };
  },
};
