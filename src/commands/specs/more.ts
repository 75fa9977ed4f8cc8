// Layer 5 (commands): `more` — continue the last truncated listing by re-running it with the next offset.
import { GcshError } from '../../base/errors.js';
import type { CommandSpec } from '../types.js';

export const moreCommand: CommandSpec = {
  name: 'more',
  category: 'session',
  summary: 'show the next rows of the last truncated result',
  usage: 'more',
  help: 'Lists are bounded (20 rows unless `--limit N`); `more` shows the next page. Works in scripts too.',
  examples: ['summary; more'],
  args: { positionals: [], flags: [] },
  async run(ctx) {
    const pager = ctx.session.pager;
    if (!pager) throw new GcshError('bad-argument', 'more: nothing to continue — the last listing was complete');
    // Imported lazily: the engine imports the registry, which imports this file.
    const { Engine } = await import('../engine.js');
    const outcome = await new Engine(ctx.session).run(`${pager.line} --offset ${pager.nextOffset}`, { cancel: ctx.cancel, progress: ctx.progress });
    if (!outcome.ok) throw new GcshError('bad-argument', outcome.error);
    return outcome.result;
  },
};
