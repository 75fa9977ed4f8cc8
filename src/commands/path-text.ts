// Layer 5 (commands): a retaining path as one expression a developer can read and paste:
// `global.app.bus.listeners[401]` rather than a list of edges.
import type { RootPathStep } from '../analyses/root-paths.js';
import { edgeView } from './edge-label.js';
import type { LoadedSnapshot } from './loaded-snapshot.js';

export function pathExpression(snapshot: LoadedSnapshot, path: readonly RootPathStep[]): string {
  const { store, derived } = snapshot;
  let text = '';
  for (let i = 1; i < path.length; i++) {
    const step = path[i]!;
    const label = edgeView(store, step.edge).label;
    const fromRoot = path[i - 1]!.ordinal === store.rootOrdinal;
    if (fromRoot || text === '') {
      // Start from the first real object: the root's synthetic edges (shortcut '2', GC root groups) say little.
      text = fromRoot ? (derived.classNames[derived.classOf[step.ordinal]!] ?? '') : `${text}${label}`;
      continue;
    }
    text += label.startsWith('.') || label.startsWith('[') ? label : ` → ${label} → `;
  }
  return text.replace(/ → $/, '');
}
