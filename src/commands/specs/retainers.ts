// Layer 5 (commands): `retainers REF` — who keeps an object alive: the K shortest paths from a root and the
// retainer tree (DevTools' Retainers view), weak edges skipped unless --all.
import { findRootPaths } from '../../analyses/root-paths.js';
import { retainerTree, type RetainerTreeNode as RetainerTree } from '../../analyses/retainer-tree.js';
import { NodeFlag } from '../../store/derived.js';
import { edgeView } from '../edge-label.js';
import type { LoadedSnapshot } from '../loaded-snapshot.js';
import { objectRecord } from '../records.js';
import { resolveRef } from '../refs.js';
import type { CommandSpec, RetainerTreeNode } from '../types.js';

function treeView(snapshot: LoadedSnapshot, node: RetainerTree): RetainerTreeNode {
  return {
    object: objectRecord(snapshot, node.ordinal),
    ...(node.edge === undefined || node.edge < 0 ? {} : { edge: edgeView(snapshot.store, node.edge) }),
    children: node.children.map((child) => treeView(snapshot, child)),
    ...(node.cycle ? { cycle: true } : {}),
    ...(node.omittedChildren ? { truncatedChildren: node.omittedChildren } : {}),
  };
}

export const retainersCommand: CommandSpec = {
  name: 'retainers',
  aliases: ['ret', 'why'],
  category: 'roots',
  summary: 'who keeps an object alive: shortest paths from a root and the retainer tree',
  usage: 'retainers REF [--depth N] [--paths K] [--all]',
  help:
    'Shows the K shortest paths from a GC root to REF (root first, with the edge taken at each step) and the tree\n' +
    'of retainers, nearest-to-root first. Weak edges do not keep objects alive and are skipped unless --all.\n' +
    'A retainer already on the way down is marked (cycle) instead of expanded.',
  examples: ['retainers @12345', 'retainers $1 --paths 3 --depth 6'],
  seeAlso: ['dominators', 'show', 'cycles'],
  args: {
    positionals: [{ name: 'REF', kind: 'ref', summary: 'object reference', completes: 'ref' }],
    flags: [
      { name: 'depth', kind: 'number', summary: 'levels of the retainer tree', default: 4 },
      { name: 'paths', kind: 'number', summary: 'shortest root paths to show', default: 1 },
      { name: 'all', kind: 'boolean', summary: 'include weak edges' },
      { name: 'siblings', kind: 'number', summary: 'retainers shown per tree level', default: 8 },
    ],
  },
  run(ctx, args) {
    const { snapshot, ordinal } = resolveRef(ctx.session, String(args.REF));
    const includeWeak = Boolean(args.all);
    const maxPaths = Math.max(0, Number(args.paths));
    const paths = findRootPaths(snapshot.store, snapshot.derived, ordinal, { maxPaths, includeWeak });
    const tree = retainerTree(snapshot.store, snapshot.derived, ordinal, { depth: Math.max(1, Number(args.depth)), includeWeak, maxChildren: Math.max(1, Number(args.siblings)) });
    const notes: string[] = [];
    const isGarbage = (snapshot.derived.nodeFlags[ordinal]! & NodeFlag.garbage) !== 0;
    if (paths.length === 0 && isGarbage) notes.push('no path from a root: only garbage refers to it, so gc.collect() would free it (`garbage` lists the rest)');
    else if (paths.length === 0) notes.push(includeWeak ? 'no path from a root: the object is unreachable (the next GC frees it)' : 'no strong path from a root (only weak references, or unreachable); --all includes weak edges');
    else if (paths.length < maxPaths) notes.push(`only ${paths.length} distinct shortest path${paths.length === 1 ? '' : 's'} exist`);
    if (!includeWeak) notes.push('weak edges hidden (--all shows them)');
    return {
      kind: 'retainers',
      target: objectRecord(snapshot, ordinal),
      paths: paths.map((path) =>
        path.map((step, i) => ({
          object: objectRecord(snapshot, step.ordinal),
          ...(i === 0 || step.edge < 0 ? {} : { edge: edgeView(snapshot.store, step.edge) }),
        })),
      ),
      tree: treeView(snapshot, tree),
      notes,
    };
  },
};
