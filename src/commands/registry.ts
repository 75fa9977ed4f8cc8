// Layer 5 (commands): the one list of commands, grouped by category, built once into a lookup by name and alias.
// It serves batch mode, the Ink shell, completion, `help` and the generated docs/commands.md.
import { assertCommand } from './specs/assert.js';
import { cyclesCommand } from './specs/cycles.js';
import { dominatorsCommand } from './specs/dominators.js';
import { findCommand as findObjectsCommand } from './specs/find.js';
import { garbageCommand } from './specs/garbage.js';
import { growthCommand } from './specs/growth.js';
import { helpCommand } from './specs/help.js';
import { historyCommand } from './specs/history.js';
import { loadCommand } from './specs/load.js';
import { moreCommand } from './specs/more.js';
import { purgeCommand } from './specs/purge.js';
import { quitCommand } from './specs/quit.js';
import { referentsCommand } from './specs/referents.js';
import { retainersCommand } from './specs/retainers.js';
import { setCommand } from './specs/set.js';
import { showCommand } from './specs/show.js';
import { snapshotsCommand } from './specs/snapshots.js';
import { summaryCommand } from './specs/summary.js';
import { useCommand } from './specs/use.js';
import type { CommandCategory, CommandSpec } from './types.js';

export const commands: readonly CommandSpec[] = [
  // session
  loadCommand,
  snapshotsCommand,
  useCommand,
  helpCommand,
  moreCommand,
  historyCommand,
  setCommand,
  assertCommand,
  quitCommand,
  // inspect
  summaryCommand,
  findObjectsCommand,
  showCommand,
  referentsCommand,
  // roots
  retainersCommand,
  dominatorsCommand,
  cyclesCommand,
  // garbage
  garbageCommand,
  purgeCommand,
  // growth
  growthCommand,
];

export const categoryTitles: Readonly<Record<CommandCategory, string>> = {
  session: 'Session',
  inspect: 'Inspect objects',
  roots: 'Why is it alive',
  garbage: 'Garbage',
  growth: 'Growth',
  live: 'Live targets',
  teach: 'Teaching',
};

const byName = new Map<string, CommandSpec>();
for (const spec of commands) {
  for (const name of [spec.name, ...(spec.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`two commands claim the name '${name}'`);
    byName.set(name, spec);
  }
}

export function findCommand(name: string): CommandSpec | undefined {
  return byName.get(name) ?? byName.get(name.toLowerCase());
}

/** Every command name and alias. */
export function commandNames(): string[] {
  return [...byName.keys()];
}
